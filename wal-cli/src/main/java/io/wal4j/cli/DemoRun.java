package io.wal4j.cli;

import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.utility.NamedThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One demo workload on an open WAL: {@code threads} appender threads append {@code messages} messages
 * asynchronously, each keeping at most {@code maxInFlight} unacknowledged, while a tailer thread reads the channel
 * from the start with the given scanner and {@linkplain TailCheck checks} what it sees. Once every append has
 * completed, the tailer reads until it has seen as many of this run's messages as were acknowledged, or until no new
 * one arrived for the stall limit ({@link #STALL_LIMIT} on the command line).
 *
 * <p>Single use; {@link #execute()} blocks until the run is over and shuts its threads down before returning.
 */
final class DemoRun {

    /** How long the tailer waits for a missing message after the last delivery before it gives up. */
    static final Duration STALL_LIMIT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final WAL wal;
    private final Scanner scanner;
    private final DemoSettings settings;
    private final Duration stallLimit;
    private final String runId = UUID.randomUUID().toString();
    private final AppendTally tally;
    /** When the appends were over; written before {@link #tailTarget}, so reading that first makes it visible. */
    private long appendsOverNanos;
    /** How many of this run's messages the tailer must see; -1 while appends are still running. */
    private volatile long tailTarget = -1;

    /**
     * @param wal        the WAL appended to; not closed here
     * @param scanner    a scanner of that WAL positioned before the first append (policy {@code all}); not closed
     *                   here
     * @param settings   what to append
     * @param stallLimit how long the tailer waits for a missing message once the appends are over
     */
    DemoRun(WAL wal, Scanner scanner, DemoSettings settings, Duration stallLimit) {
        this.wal = wal;
        this.scanner = scanner;
        this.settings = settings;
        this.stallLimit = stallLimit;
        this.tally = new AppendTally(settings.messages());
    }

    /**
     * Runs the workload.
     *
     * @return what happened
     * @throws InterruptedException if the calling thread is interrupted; the run's threads are stopped first
     */
    DemoReport execute() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads() + 1,
                new NamedThreadFactory("wal4j-demo-" + settings.channel()));
        try {
            Future<TailCheck> tail = pool.submit(this::tail);
            long start = System.nanoTime();
            List<Future<?>> appenders = new ArrayList<>();
            for (int t = 0; t < settings.threads(); t++) {
                int first = t;
                appenders.add(pool.submit(() -> appendShare(first)));
            }
            List<String> problems = new ArrayList<>();
            awaitAll(appenders, problems);
            appendsOverNanos = System.nanoTime();
            tailTarget = tally.acknowledged();
            TailCheck check = awaitTail(tail, problems);
            return DemoReport.of(settings, tally, check, start, problems);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Appends messages {@code first}, {@code first + threads}, … and waits for all of them to complete. */
    private Void appendShare(int first) throws InterruptedException {
        DemoMessages messages = new DemoMessages(runId, settings.payloadBytes());
        Semaphore inFlight = new Semaphore(settings.maxInFlight());
        for (int seq = first; seq < settings.messages(); seq += settings.threads()) {
            inFlight.acquire();
            int s = seq;
            wal.appendAsync(messages.build(s, System.nanoTime())).whenComplete((result, failure) -> {
                tally.record(s, result, failure);
                inFlight.release();
            });
        }
        // Every permit back means every append of this thread has completed.
        inFlight.acquire(settings.maxInFlight());
        return null;
    }

    private TailCheck tail() {
        TailCheck check = new TailCheck(new DemoMessages(runId, 0), settings.messages());
        long lastProgress = System.nanoTime();
        try {
            while (true) {
                long target = tailTarget;
                if (target >= 0 && check.delivered() >= target) {
                    return check;
                }
                ImmutableMessage message = scanner.poll(POLL_INTERVAL);
                long now = System.nanoTime();
                if (message != null) {
                    long before = check.delivered();
                    check.accept(message, now);
                    if (check.delivered() > before) {
                        lastProgress = now;
                    }
                } else if (target >= 0 && now - Math.max(lastProgress, appendsOverNanos) > stallLimit.toNanos()) {
                    return check;
                }
            }
        } catch (WALClosedException e) {
            // Closed under us (interrupt, shutdown): report what was seen.
            return check;
        }
    }

    private static void awaitAll(List<Future<?>> appenders, List<String> problems) throws InterruptedException {
        for (Future<?> appender : appenders) {
            try {
                appender.get();
            } catch (ExecutionException e) {
                problems.add("an appender thread failed: " + e.getCause());
            }
        }
    }

    private static TailCheck awaitTail(Future<TailCheck> tail, List<String> problems) throws InterruptedException {
        try {
            return tail.get();
        } catch (ExecutionException e) {
            problems.add("the scanner failed: " + e.getCause());
            return null;
        }
    }
}
