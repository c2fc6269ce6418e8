package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RenderingTest {

  private static final String TEXT = "# TYPE a gauge\na 1.0\n# TYPE b gauge\nb 2.0\n# TYPE c gauge\nc 3.0\n";

  private static Rendering rendering() {
    byte[] body = TEXT.getBytes(StandardCharsets.UTF_8);
    int[] offsets = {0, TEXT.indexOf("# TYPE b"), TEXT.indexOf("# TYPE c"), body.length};
    return new Rendering(1, Instant.EPOCH, null, body, new String[] {"a", "b", "c"}, offsets);
  }

  @Test
  void sliceIsRangeOfBody() {
    Rendering rendering = rendering();

    ScrapeBody.Part part = rendering.slice(1, 3).part();

    assertThat(part.array()).isSameAs(rendering.body());
    assertThat(part.offset()).isEqualTo(TEXT.indexOf("# TYPE b"));
    assertThat(part.length()).isEqualTo(TEXT.length() - TEXT.indexOf("# TYPE b"));
  }

  @Test
  void wholeSliceCoversBody() {
    Rendering rendering = rendering();

    ScrapeBody.Part part = rendering.slice(0, 3).part();

    assertThat(part.array()).isSameAs(rendering.body());
    assertThat(part.wholeArray()).isTrue();
  }

  @Test
  void sliceIsKeptAcrossRequests() {
    Rendering rendering = rendering();

    assertThat(rendering.slice(0, 2)).isSameAs(rendering.slice(0, 2));
  }

  @Test
  void sliceCrcAndSegmentCoverOnlyRange() {
    Rendering rendering = rendering();
    byte[] body = rendering.body();
    byte[] middle = Arrays.copyOfRange(body, TEXT.indexOf("# TYPE b"), TEXT.indexOf("# TYPE c"));

    Rendering.Slice slice = rendering.slice(1, 2);

    assertThat(slice.crc()).isEqualTo(Gzip.crc(middle));
    assertThat(slice.gzipSegment()).isEqualTo(Gzip.segment(middle, false));
  }
}
