package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptTest {

  @Test
  void collapsesWhitespace() {
    assertThat(Excerpt.of("  no \r\n\t healthy   upstream \n")).isEqualTo("no healthy upstream");
  }

  @Test
  void removesControlAndFormatCharacters() {
    assertThat(Excerpt.of("a\u0000b\u001bc\u202ed")).isEqualTo("abcd");
  }

  @Test
  void cutsAtMaximum() {
    String excerpt = Excerpt.of("y".repeat(500));

    assertThat(excerpt).isEqualTo("y".repeat(Excerpt.MAX_CHARS) + "...");
  }

  @Test
  void keepsSurrogatePairWhole() {
    String text = "a".repeat(Excerpt.MAX_CHARS - 1) + "\uD83D\uDD12" + "tail";

    assertThat(Excerpt.of(text)).isEqualTo("a".repeat(Excerpt.MAX_CHARS - 1) + "...");
  }

  @Test
  void returnsEmptyForNull() {
    assertThat(Excerpt.of((String) null)).isEmpty();
  }
}
