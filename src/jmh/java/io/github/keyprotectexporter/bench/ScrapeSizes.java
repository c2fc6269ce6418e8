package io.github.keyprotectexporter.bench;

import io.github.keyprotectexporter.http.ScrapeBody;
import java.util.Locale;

/**
 * Prints the bytes that one text-format scrape sends, plain and gzip, for the fleet sizes of
 * {@link ScrapeBenchmark}, as a Markdown table.
 */
public final class ScrapeSizes {

  private ScrapeSizes() {}

  public static void main(String[] args) {
    System.out.println("| instances | series | text bytes | gzip bytes |");
    System.out.println("|---:|---:|---:|---:|");
    for (int instances : new int[] {10, 100, 1_000, 10_000}) {
      ScrapeBody plain = ScrapeBenchmark.sample(instances, false);
      ScrapeBody gzip = ScrapeBenchmark.sample(instances, true);
      String text = new String(plain.bytes(), java.nio.charset.StandardCharsets.UTF_8);
      long series = text.lines().filter(line -> !line.startsWith("#")).count();
      System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %,d |%n",
          instances, series, plain.length(), gzip.length());
    }
  }
}
