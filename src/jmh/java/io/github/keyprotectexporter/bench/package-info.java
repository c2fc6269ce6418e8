/** JMH benchmarks of the scrape and poll paths; run with {@code bench/run}. */
package io.github.keyprotectexporter.bench;
