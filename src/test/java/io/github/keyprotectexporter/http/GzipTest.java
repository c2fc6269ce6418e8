package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GzipTest {

  @Test
  void combineMatchesCrcOfJoinedBytes() {
    Random random = new Random(42);
    for (int length : new int[] {0, 1, 7, 100, 4096, 100_000}) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      for (int split : new int[] {0, length / 3, length}) {
        byte[] first = Arrays.copyOfRange(bytes, 0, split);
        byte[] second = Arrays.copyOfRange(bytes, split, length);

        int combined = Gzip.combine(Gzip.crc(first), Gzip.crc(second), second.length);

        assertThat(combined).as("length %d split %d", length, split).isEqualTo(Gzip.crc(bytes));
      }
    }
  }

  @Test
  void crcOfRangeMatchesCrcOfCopy() {
    byte[] bytes = "a{instance=\"one\"} 1.0\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    int offset = 37;
    int length = bytes.length - 80;
    byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);

    assertThat(Gzip.crc(bytes, offset, length)).isEqualTo(Gzip.crc(copy));
  }

  @Test
  void segmentOfRangeMatchesSegmentOfCopy() {
    byte[] bytes = "b{label=\"Zürich\"} 1.0\n".repeat(3000).getBytes(StandardCharsets.UTF_8);
    int offset = 1001;
    int length = bytes.length / 2;
    byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);

    assertThat(Gzip.segment(bytes, offset, length, false)).isEqualTo(Gzip.segment(copy, false));
    assertThat(Gzip.segment(bytes, offset, length, true)).isEqualTo(Gzip.segment(copy, true));
  }

  @Test
  void segmentsJoinIntoOneMember() {
    byte[] first = "# HELP a first part\n".repeat(500).getBytes(StandardCharsets.UTF_8);
    byte[] middle = "b{label=\"Zürich\"} 1.0\n".repeat(3000).getBytes(StandardCharsets.UTF_8);
    byte[] last = "# EOF\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    text.writeBytes(first);
    text.writeBytes(middle);
    text.writeBytes(last);
    int crc = Gzip.combine(Gzip.combine(Gzip.crc(first), Gzip.crc(middle), middle.length),
        Gzip.crc(last), last.length);

    ByteArrayOutputStream member = new ByteArrayOutputStream();
    member.writeBytes(Gzip.HEADER);
    member.writeBytes(Gzip.segment(first, false));
    member.writeBytes(Gzip.segment(middle, false));
    member.writeBytes(Gzip.segment(last, true));
    member.writeBytes(Gzip.footer(crc, text.size()));

    assertThat(GzipMembers.decodeSingle(member.toByteArray())).isEqualTo(text.toByteArray());
  }

  @Test
  void emptyLastSegmentEndsStream() {
    byte[] text = "only part\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream member = new ByteArrayOutputStream();
    member.writeBytes(Gzip.HEADER);
    member.writeBytes(Gzip.segment(text, false));
    member.writeBytes(Gzip.segment(new byte[0], true));
    member.writeBytes(Gzip.footer(Gzip.crc(text), text.length));

    assertThat(GzipMembers.decodeSingle(member.toByteArray())).isEqualTo(text);
  }
}
