package io.wal4j.cli;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code wal bench}: a quick measurement: appends N messages from T threads, then reads them all back with a
 * catch-up scanner, and prints a small table of rates and append latencies. Instantiated by picocli once per
 * invocation; not thread-safe (it starts and joins its own appender threads).
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Appends then tails N messages and prints a small table of rates and latencies.",
        description = {
            "%nPhase 1 appends --messages messages of --payload-bytes from --threads threads (asynchronously, at "
                    + "most --max-in-flight unacknowledged per thread) and times each append from the call to its "
                    + "acknowledgement. Phase 2 reads the channel from the start with one scanner until it has seen "
                    + "them all. Each phase prints messages, seconds, messages/s, MB/s (payload bytes) and, for "
                    + "appends, the p50/p99/max latency.",
            "A quick look, not a benchmark harness: one run, no warm-up, on whatever else the machine is doing; "
                    + "wal-bench has the JMH benchmarks.",
            "Exit status: 0 done, 1 an append failed or the scanner did not deliver every message, 2 bad options."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wal bench",
            "  wal bench --messages 200000 --threads 4 --payload-bytes 1024 --durability OS",
            "  wal bench --backend memory%n"})
final class BenchCommand implements Callable<Integer> {

    /** How long the read phase waits for one message before declaring the scanner stalled. */
    private static final Duration STALL = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "file",
            description = "backend (default: ${DEFAULT-VALUE})")
    private String backend;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "root directory of the file backend (default: a temporary directory, deleted after)")
    private Path dir;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "bench",
            description = "channel (default: ${DEFAULT-VALUE})")
    private String channel;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "20000",
            description = "messages to append (default: ${DEFAULT-VALUE})")
    private int messages;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "appender threads (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--payload-bytes", paramLabel = "B", defaultValue = "128",
            description = "payload size (default: ${DEFAULT-VALUE})")
    private int payloadBytes;

    @Option(names = "--max-in-flight", paramLabel = "K", defaultValue = "128",
            description = "unacknowledged appends per thread (default: ${DEFAULT-VALUE})")
    private int maxInFlight;

    @Option(names = "--durability", paramLabel = "LEVEL",
            description = "durability of every append, one of ${COMPLETION-CANDIDATES} (default: the backend's)")
    private Durability durability;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        DemoSettings settings;
        try {
            settings = new DemoSettings(backend, Optional.ofNullable(dir), channel, messages, threads, payloadBytes,
                    maxInFlight, Optional.ofNullable(durability), false);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
            throw Failures.usage(spec, "--dir " + dir + " does not exist (create it first: mkdir -p " + dir + ")");
        }
        try (DemoWorkspace workspace = DemoWorkspace.create(settings);
             Opener opener = WALRegistry.builder(backend).build(workspace.config());
             WAL wal = opener.open(OpenOption.readWrite(channel, 1))) {
            out.println("wal bench: " + workspace.describe() + ", " + messages + " messages of " + payloadBytes
                    + " B from " + threads + " threads");
            out.flush();
            long[] latencies = new long[messages];
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long appendNanos = appendAll(wal, latencies, failure);
            if (failure.get() != null) {
                return Failures.report(spec, failure.get());
            }
            long readStart = System.nanoTime();
            long read = readAll(wal);
            long readNanos = System.nanoTime() - readStart;
            Arrays.sort(latencies);
            out.printf(java.util.Locale.ROOT, "%-8s %10s %9s %12s %9s %9s %9s %9s%n", "phase", "messages",
                    "seconds", "msgs/s", "MB/s",
                    "p50 ms", "p99 ms", "max ms");
            row(out, "append", messages, appendNanos, latencies);
            row(out, "tail", read, readNanos, null);
            if (read < messages) {
                spec.commandLine().getErr().println("wal bench: the scanner delivered " + read + " of " + messages
                        + " messages, then nothing for " + STALL.toSeconds() + "s");
                return Failures.FAILED;
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (WALException | UncheckedIOException e) {
            return Failures.report(spec, e);
        }
    }

    private long appendAll(WAL wal, long[] latencies, AtomicReference<Throwable> failure)
            throws InterruptedException {
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        AtomicLong next = new AtomicLong();
        List<Thread> appenders = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> appendShare(wal, payload, next, latencies, failure),
                    "wal4j-bench-append-" + t);
            thread.setDaemon(true);
            appenders.add(thread);
            thread.start();
        }
        for (Thread thread : appenders) {
            thread.join();
        }
        return System.nanoTime() - start;
    }

    private void appendShare(WAL wal, byte[] payload, AtomicLong next, long[] latencies,
                             AtomicReference<Throwable> failure) {
        Semaphore inFlight = new Semaphore(maxInFlight);
        try {
            for (long seq = next.getAndIncrement(); seq < messages && failure.get() == null;
                 seq = next.getAndIncrement()) {
                inFlight.acquire();
                int i = (int) seq;
                long sent = System.nanoTime();
                wal.appendAsync(MutableMessage.newBuilder().payload(payload).build()).whenComplete((r, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, Failures.unwrap(e));
                    }
                    latencies[i] = System.nanoTime() - sent;
                    inFlight.release();
                });
            }
            // Wait for this thread's last acknowledgements.
            inFlight.acquire(maxInFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        }
    }

    private long readAll(WAL wal) {
        long seen = 0;
        try (Scanner scanner = wal.read(ReadOption.newBuilder().name("wal-bench").build())) {
            while (seen < messages) {
                ImmutableMessage m = scanner.poll(STALL);
                if (m == null) {
                    break;
                }
                if (!m.messageType().isSystem()) {
                    seen++;
                }
            }
        }
        return seen;
    }

    private void row(PrintWriter out, String phase, long count, long nanos, long[] sortedLatencies) {
        double seconds = nanos / 1e9;
        double rate = count / Math.max(seconds, 1e-9);
        double mb = count * (double) payloadBytes / 1e6 / Math.max(seconds, 1e-9);
        if (sortedLatencies == null || sortedLatencies.length == 0) {
            out.printf(java.util.Locale.ROOT, "%-8s %10d %9.3f %12.0f %9.2f %9s %9s %9s%n", phase, count, seconds,
                    rate, mb, "-", "-", "-");
            return;
        }
        out.printf(java.util.Locale.ROOT, "%-8s %10d %9.3f %12.0f %9.2f %9.3f %9.3f %9.3f%n", phase, count,
                seconds, rate, mb,
                millis(sortedLatencies, 0.50), millis(sortedLatencies, 0.99),
                sortedLatencies[sortedLatencies.length - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
