package io.wal4j.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.AppendResult;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.OpenerBuilder;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIds;
import io.wal4j.impls.file.ScratchDirs;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The concurrency soak of issue 6, item 6: 16 appenders and 8 scanners (half catching up from the start, half from
 * the latest) per round, a close racing with the appends to end each round, then a reopen — for a bounded time
 * ({@code -Dwal4j.soak.seconds}, default 60 in total, split evenly over the two backends). Checked: every future
 * completes (acknowledged, or failed with {@link WALClosedException}); each scanner sees time ticks (ids, for
 * messages without one) and every writer's sequence strictly increase, no id twice, and only intact messages; at the
 * end the log holds every acknowledged message exactly once under its id; no wal4j thread and no file descriptor
 * outlives the run.
 *
 * <p>Heap: the WAL runs with a small write-ahead buffer ({@value #BUFFER_BYTES} bytes, {@code wal.adaptor.buffer.bytes});
 * its byte count (the WAL metrics' {@code Details.bufferBytes}) is sampled every {@value #SAMPLE_MILLIS} ms while
 * the round runs and must never exceed that capacity (and must reach at least half of it, so the bound is exercised);
 * and the heap used after a forced full collection, measured after every round, may grow from the first round to the
 * last by no more than the buffer's capacity plus {@value #HEAP_SLACK_MIB} MiB plus the test's own bookkeeping
 * ({@value #BOOKKEEPING_BYTES_PER_ACK} bytes per acknowledged append) — plus, for the memory backend, which keeps the
 * whole log on the heap, {@value #MEMORY_LOG_FACTOR} times the estimated bytes of the messages it stored in between.
 */
class ConcurrencySoakIT {

    private static final int APPENDERS = 16;
    private static final int SCANNERS = 8;
    private static final int PER_APPENDER_PER_ROUND = 150;
    private static final int WINDOW = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CHANNEL = "soak";
    static final long BUFFER_BYTES = 256 * 1024;
    static final long SAMPLE_MILLIS = 5;
    static final long HEAP_SLACK_MIB = 8;
    static final int MEMORY_LOG_FACTOR = 3;
    /** Heap the test itself keeps per acknowledged append: its map entry "round/writer/seq" → id text (~150 B). */
    static final long BOOKKEEPING_BYTES_PER_ACK = 256;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "file"})
    void appendersScannersAndRacingClosesLoseNothingAndLeakNothing(String backend) throws Exception {
        Path dir = ScratchDirs.create("wal4j-soak-");
        int fdsBefore = ReliabilityTestUtils.openFileDescriptors();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        OpenerBuilder builder = backend.equals("memory") ? WALRegistry.builder(new MemoryOpenerBuilder())
                : WALRegistry.builder("file");
        WALConfig base = WALConfig.of(Map.of("wal.adaptor.buffer.bytes", Long.toString(BUFFER_BYTES)));
        WALConfig config = backend.equals("memory") ? base
                : base.with("wal.file.dir", dir.toString()).with("wal.file.segment-bytes", "1048576");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        long[] nextSeq = new long[APPENDERS];
        AtomicLong delivered = new AtomicLong();
        AtomicLong closedFailures = new AtomicLong();
        AtomicLong acknowledgedBytes = new AtomicLong();
        BufferSamples buffer = new BufferSamples();
        int rounds = 0;
        long heapAfterFirstRound = 0;
        long bytesAtFirstRound = 0;
        long acksAtFirstRound = 0;
        long heapAfterLastRound = 0;
        int seconds = Math.max(1, Soak.soakSeconds() / 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (System.nanoTime() < deadline || rounds < 2) {
                round(builder, config, rounds, random, nextSeq, acknowledged, delivered, closedFailures,
                        acknowledgedBytes, buffer);
                heapAfterLastRound = usedHeapAfterGc();
                if (rounds == 0) {
                    heapAfterFirstRound = heapAfterLastRound;
                    bytesAtFirstRound = acknowledgedBytes.get();
                    acksAtFirstRound = acknowledged.size();
                }
                rounds++;
            }
            long total = checkEverythingAcknowledgedIsThereOnce(builder, config, acknowledged);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(ReliabilityTestUtils.liveThreads("wal4j-")).as("wal4j threads left").isEmpty());
            if (fdsBefore >= 0) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(ReliabilityTestUtils.openFileDescriptors()).as("open file descriptors")
                                .isLessThanOrEqualTo(fdsBefore + 2));
            }
            assertThat(buffer.max.get()).as("write-ahead buffer bytes, at every one of " + buffer.samples.get()
                    + " samples").isLessThanOrEqualTo(BUFFER_BYTES);
            assertThat(buffer.max.get()).as("the buffer filled up (the bound was exercised)")
                    .isGreaterThanOrEqualTo(BUFFER_BYTES / 2);
            long storedSinceFirst = backend.equals("memory") ? acknowledgedBytes.get() - bytesAtFirstRound : 0;
            long heapGrowth = heapAfterLastRound - heapAfterFirstRound;
            long heapBound = BUFFER_BYTES + (HEAP_SLACK_MIB << 20) + MEMORY_LOG_FACTOR * storedSinceFirst
                    + BOOKKEEPING_BYTES_PER_ACK * (acknowledged.size() - acksAtFirstRound);
            assertThat(heapGrowth).as("heap used after GC, growth from round 1 to round " + rounds + " ("
                    + (heapAfterFirstRound >> 10) + " KiB -> " + (heapAfterLastRound >> 10) + " KiB)")
                    .isLessThanOrEqualTo(heapBound);
            new Figures("ConcurrencySoakIT[" + backend + "]").put("seconds", seconds).put("rounds", rounds)
                    .put("racingCloses", rounds).put("acknowledged", acknowledged.size())
                    .put("failedByClose", closedFailures.get()).put("deliveredToScanners", delivered.get())
                    .put("inLog", total).put("lost", 0).put("duplicates", 0).put("corruptDelivered", 0)
                    .put("bufferCapacityBytes", BUFFER_BYTES).put("bufferSamples", buffer.samples.get())
                    .put("bufferMaxBytes", buffer.max.get())
                    .put("heapAfterGcFirstRoundKiB", heapAfterFirstRound >> 10)
                    .put("heapAfterGcLastRoundKiB", heapAfterLastRound >> 10)
                    .put("heapGrowthKiB", heapGrowth >> 10).put("heapGrowthBoundKiB", heapBound >> 10)
                    .put("fdsBefore", fdsBefore).put("fdsAfter", ReliabilityTestUtils.openFileDescriptors())
                    .put("seed", seed).print();
        } finally {
            ScratchDirs.deleteTree(dir);
        }
    }

    /** The write-ahead buffer's byte count as sampled during the rounds. */
    private static final class BufferSamples {
        final AtomicLong max = new AtomicLong();
        final AtomicLong samples = new AtomicLong();

        void sample(WAL wal) {
            long bytes;
            try {
                bytes = wal.metrics().details().bufferBytes();
            } catch (WALClosedException e) {
                return; // the round's close won the race with this sample
            }
            samples.incrementAndGet();
            max.accumulateAndGet(bytes, Math::max);
        }
    }

    /**
     * @return the heap in use after a full collection: {@link java.lang.management.MemoryMXBean#gc()} repeated (at
     *     most 5 times) until two measurements agree within 1 MiB, so that garbage still being freed does not count
     */
    private static long usedHeapAfterGc() {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            memory.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < (1 << 20)) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    private static void round(OpenerBuilder builder, WALConfig config, int round, Random random, long[] nextSeq,
                              Map<String, String> acknowledged, AtomicLong delivered, AtomicLong closedFailures,
                              AtomicLong acknowledgedBytes, BufferSamples buffer) throws Exception {
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        Semaphore acks = new Semaphore(0);
        Queue<CompletableFuture<AppendResult>> futures = new ConcurrentLinkedQueue<>();
        java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> thread("soak-buffer-sampler-" + round, r));
        try (Opener opener = builder.build(config)) {
            WAL wal = opener.open(OpenOption.readWrite(CHANNEL, 1));
            sampler.scheduleAtFixedRate(() -> buffer.sample(wal), 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < SCANNERS; s++) {
                DeliverPolicy policy = s % 2 == 0 ? DeliverPolicy.all() : DeliverPolicy.latest();
                Scanner scanner = wal.read(ReadOption.newBuilder().deliverPolicy(policy).build());
                threads.add(thread("soak-scanner-" + round + "-" + s, () -> scan(scanner, delivered, errors)));
            }
            for (int w = 0; w < APPENDERS; w++) {
                int writer = w;
                long first = nextSeq[w];
                nextSeq[w] += PER_APPENDER_PER_ROUND;
                threads.add(thread("soak-appender-" + round + "-" + w, () -> {
                    awaitQuietly(start);
                    append(wal, round, writer, first, acknowledged, acks, futures, closedFailures, errors,
                            acknowledgedBytes);
                }));
            }
            int closeAfter = random.nextInt(APPENDERS * PER_APPENDER_PER_ROUND * 3 / 4);
            threads.forEach(Thread::start);
            start.countDown();
            assertThat(acks.tryAcquire(closeAfter, TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("round " + round + " reached " + closeAfter + " acks; errors " + errors).isTrue();
            wal.close();
            sampler.shutdown();
            assertThat(sampler.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("sampler stops").isTrue();
            for (Thread t : threads) {
                t.join(TIMEOUT.toMillis());
                assertThat(t.isAlive()).as(t.getName() + " finished after close").isFalse();
            }
            for (CompletableFuture<AppendResult> f : futures) {
                assertThat(f.isDone()).as("every future completes once close returns").isTrue();
            }
            assertThat(errors).as("round " + round).isEmpty();
        } finally {
            sampler.shutdownNow();
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void append(WAL wal, int round, int writer, long first, Map<String, String> acknowledged,
                               Semaphore acks, Queue<CompletableFuture<AppendResult>> futures,
                               AtomicLong closedFailures, Queue<String> errors, AtomicLong acknowledgedBytes) {
        Deque<CompletableFuture<AppendResult>> window = new ArrayDeque<>();
        Deque<Long> seqs = new ArrayDeque<>();
        boolean closed = false;
        for (long seq = first; seq < first + PER_APPENDER_PER_ROUND && !closed; seq++) {
            CompletableFuture<AppendResult> f = wal.appendAsync(ReliabilityTestUtils.message(round, writer, seq));
            futures.add(f);
            window.addLast(f);
            seqs.addLast(seq);
            if (window.size() >= WINDOW) {
                closed = settle(window.removeFirst(), round, writer, seqs.removeFirst(), acknowledged, acks,
                        closedFailures, errors, acknowledgedBytes);
            }
        }
        while (!window.isEmpty()) {
            settle(window.removeFirst(), round, writer, seqs.removeFirst(), acknowledged, acks, closedFailures,
                    errors, acknowledgedBytes);
        }
    }

    /** @return whether the WAL was found closed */
    private static boolean settle(CompletableFuture<AppendResult> f, int round, int writer, long seq,
                                  Map<String, String> acknowledged, Semaphore acks, AtomicLong closedFailures,
                                  Queue<String> errors, AtomicLong acknowledgedBytes) {
        try {
            AppendResult r = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            acknowledged.put(round + "/" + writer + "/" + seq, MessageIds.toText(r.messageId()));
            acknowledgedBytes.addAndGet(ReliabilityTestUtils.message(round, writer, seq).estimateSize());
            acks.release();
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WALClosedException) {
                closedFailures.incrementAndGet();
                return true;
            }
            errors.add("append " + writer + "/" + seq + ": " + e.getCause());
            return true;
        } catch (TimeoutException e) {
            errors.add("append " + writer + "/" + seq + " not completed within " + TIMEOUT);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add("interrupted");
            return true;
        }
    }

    /** Reads until the WAL's close ends the scanner, checking order and integrity of everything delivered. */
    private static void scan(Scanner scanner, AtomicLong delivered, Queue<String> errors) {
        MessageId last = null;
        long lastTick = Long.MIN_VALUE;
        Map<String, Long> lastSeq = new HashMap<>();
        java.util.Set<MessageId> ids = new java.util.HashSet<>();
        try (scanner) {
            while (true) {
                ImmutableMessage m = scanner.take();
                // The full WAL delivers in time-tick order; ids may then be out of order between concurrent
                // appenders, but never repeat. Messages without a tick come in id order.
                if (m.hasTimeTick()) {
                    if (m.timeTick() <= lastTick) {
                        errors.add(scanner.name() + ": time tick " + m.timeTick() + " after " + lastTick);
                    }
                    lastTick = m.timeTick();
                } else if (last != null && !m.messageType().isSystem() && !last.isBefore(m.id())) {
                    errors.add(scanner.name() + ": id " + m.id() + " after " + last);
                }
                if (m.messageType().isSystem()) {
                    // Time ticks the WAL delivers without storing them carry an id already used; only their ticks
                    // are checked.
                    continue;
                }
                if (!ids.add(m.id())) {
                    errors.add(scanner.name() + ": id " + m.id() + " delivered twice");
                }
                last = m.id();
                String bad = ReliabilityTestUtils.verify(m);
                if (bad != null) {
                    errors.add(scanner.name() + ": " + bad);
                }
                String writer = m.property(ReliabilityTestUtils.WRITER);
                long seq = Long.parseLong(m.property(ReliabilityTestUtils.SEQ));
                Long previous = lastSeq.put(writer, seq);
                if (previous != null && previous >= seq) {
                    errors.add(scanner.name() + ": writer " + writer + " seq " + seq + " after " + previous);
                }
                delivered.incrementAndGet();
            }
        } catch (WALClosedException e) {
            // The WAL's close ended the scanner: the normal end of a round.
        } catch (RuntimeException e) {
            errors.add(scanner.name() + " failed: " + e);
        }
    }

    /** @return how many messages the log holds; each acknowledged one exactly once under its id, intact */
    private static long checkEverythingAcknowledgedIsThereOnce(OpenerBuilder builder, WALConfig config,
                                                               Map<String, String> acknowledged) {
        try (Opener opener = builder.build(config); WAL wal = opener.open(OpenOption.readWrite(CHANNEL, 1))) {
            wal.append(ReliabilityTestUtils.marker("soak-end"));
            List<ImmutableMessage> log = ReliabilityTestUtils.readUpToMarker(wal, "soak-end", TIMEOUT);
            Map<String, String> seen = new HashMap<>();
            for (ImmutableMessage m : log) {
                if (m.property(ReliabilityTestUtils.MARKER) != null) {
                    continue;
                }
                assertThat(ReliabilityTestUtils.verify(m)).as("intact " + m.id()).isNull();
                String key = ReliabilityTestUtils.key(m);
                assertThat(seen.put(key, MessageIds.toText(m.id()))).as("duplicate " + key).isNull();
            }
            acknowledged.forEach((key, id) -> assertThat(seen.get(key)).as("acknowledged " + key).isEqualTo(id));
            return seen.size();
        }
    }
}
