/**
 * JMH benchmarks of wal4j with their baselines and peers measured in the same run (B1 to B7 of issue 7), and the
 * small helpers they share. Run them with {@code wal-bench/run.sh}, never from a test build; the results and what
 * they mean are in {@code docs/benchmarks.md}.
 *
 * <p>Conventions: every benchmark that writes files gets a fresh directory under {@code wal.bench.dir} (default the
 * JVM's temporary directory) per iteration or trial, and deletes it afterwards, so disk use stays bounded by what one
 * iteration writes. Latency benchmarks send at a fixed rate and measure from each message's <em>intended</em> send
 * time (coordinated-omission correction) into HdrHistogram, and print their percentiles on lines starting with
 * {@code HDR}, which {@code run.sh} collects.
 */
package io.wal4j.bench;
