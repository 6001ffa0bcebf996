package io.wal4j.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageIds;
import io.wal4j.impls.file.FileOpenerBuilder;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The process-kill matrix of issue 6. A child JVM ({@link KillChild}) appends to the file backend from several
 * threads and prints each acknowledged id as it is acknowledged; this test kills it with SIGKILL (through
 * {@link ProcessHandle#destroyForcibly()}) after a random number of acknowledgements (sometimes while it opens and
 * recovers the log), then reopens the channel and checks: it opens; every acknowledged message is there exactly once,
 * under its acknowledged id, in order (each writer's sequence; time ticks through the full WAL, ids through the SPI),
 * with intact payload and properties; no corrupt message is delivered; each writer's messages form a gap-free prefix;
 * appends resume. A read-only WAL tails the channel during each kill and must only ever deliver intact messages that
 * survive it. Rows: through the full WAL and straight through the backend SPI, at {@code OS} and {@code DISK} (a
 * process crash must lose neither).
 *
 * <p>{@code -Dwal4j.kills=N} sets the total number of kills (default 52, split over the rows);
 * {@code -Dwal4j.kill.seed=S} replays the random choices of a run (the child's timing is not replayable).
 */
class ProcessKillIT {

    private static final int THREADS = 4;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path root;

    /** One row of the matrix: the layer the child appends through, and the durability it asks for. */
    enum Row {
        FULL_WAL_OS("full", Durability.OS),
        FULL_WAL_DISK("full", Durability.DISK),
        SPI_OS("spi", Durability.OS),
        SPI_DISK("spi", Durability.DISK);

        final String layer;
        final Durability durability;

        Row(String layer, Durability durability) {
            this.layer = layer;
            this.durability = durability;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Row.class)
    void everyAcknowledgedMessageSurvivesSigkillExactlyOnceInOrder(Row row) throws Exception {
        int kills = Math.max(1, (Soak.kills() + Row.values().length - 1) / Row.values().length);
        long seed = Long.getLong("wal4j.kill.seed", System.nanoTime());
        System.out.println("ProcessKillIT " + row + ": seed " + seed + " (replay with -Dwal4j.kill.seed=" + seed + ")");
        Random random = new Random(seed);
        Path dir = root.resolve(row.name());
        Map<String, String> acknowledged = new HashMap<>();
        Map<Durability, Integer> reached = new java.util.EnumMap<>(Durability.class);
        List<String> markers = new ArrayList<>();
        long checked = 0;
        long seenByReaders = 0;
        for (int run = 0; run < kills; run++) {
            int target = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(400);
            TailingReader tail = run == 0 ? null : new TailingReader(dir, row);
            List<String[]> acks;
            try {
                acks = killAfter(dir, row, run, target);
            } finally {
                if (tail != null) {
                    tail.stop();
                }
            }
            for (String[] ack : acks) {
                acknowledged.put(run + "/" + ack[1] + "/" + ack[2], ack[3]);
                reached.merge(Durability.valueOf(ack[4]), 1, Integer::sum);
                // Each append is acknowledged at exactly the row's level (the full WAL at wal.adaptor.durability):
                // OS as much as DISK must survive a process kill, since the kernel keeps what was written.
                assertThat(Durability.valueOf(ack[4])).as("acknowledged durability of " + String.join(" ", ack))
                        .isEqualTo(row.durability);
            }
            String marker = "after-run-" + run;
            markers.add(marker);
            List<ImmutableMessage> log = reopenAppendMarkerAndRead(dir, row, marker);
            checked += log.size();
            String context = "seed " + seed + ", after run " + run + " (killed after " + target + " acks)";
            check(log, acknowledged, markers, context);
            if (tail != null) {
                assertThat(tail.errors).as(context + ": concurrent reader").isEmpty();
                Map<String, String> inLog = new HashMap<>();
                log.forEach(m -> inLog.put(m.property(ReliabilityTestUtils.MARKER) != null ? "marker"
                        : ReliabilityTestUtils.key(m), MessageIds.toText(m.id())));
                tail.seen.forEach((key, id) -> assertThat(inLog.get(key))
                        .as(context + ": message " + key + " seen by the concurrent reader survives the kill")
                        .isEqualTo(id));
                seenByReaders += tail.seen.size();
            }
        }
        new Figures("ProcessKillIT[" + row + "]").put("kills", kills).put("acknowledged", acknowledged.size())
                .put("ackedAt", reached).put("lost", 0).put("corruptDelivered", 0).put("messagesChecked", checked)
                .put("seenByConcurrentReaders", seenByReaders).put("seed", seed).print();
    }

    /** Starts the child, waits for {@code target} acknowledgements (0: for it to start opening), kills it. */
    private List<String[]> killAfter(Path dir, Row row, int run, int target) throws Exception {
        Path stderr = Files.createTempFile(root, "child-" + run + "-", ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                KillChild.class.getName(), dir.toString(), row.layer, row.durability.name(),
                Integer.toString(THREADS), Integer.toString(run))
                .redirectError(stderr.toFile()).start();
        LineReader out = new LineReader(child.getInputStream());
        Thread reader = new Thread(out, "kill-it-stdout-" + run);
        reader.start();
        try {
            boolean reachedTarget = target == 0 ? out.opening.tryAcquire(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    : out.acks.tryAcquire(target, CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!reachedTarget || out.ended) {
                sigkill(child);
                reader.join();
                throw new AssertionError("child of run " + run + " ended or stalled before " + target + " acks; alive="
                        + child.isAlive() + ", errors=" + out.errors + ", stderr:\n" + Files.readString(stderr));
            }
        } finally {
            sigkill(child);
            assertThat(child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("child died").isTrue();
            reader.join(CHILD_TIMEOUT.toMillis());
        }
        assertThat(out.errors).as("child errors (stderr: %s)", Files.readString(stderr)).isEmpty();
        return List.copyOf(out.lines);
    }

    /**
     * Sends SIGKILL through the process handle: {@link Process#destroyForcibly()} would also close our end of the
     * child's stdout, losing the acknowledgements still in the pipe.
     */
    private static void sigkill(Process child) throws InterruptedException {
        child.toHandle().destroyForcibly();
        child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Reads the child's stdout to its end; only complete lines count. */
    private static final class LineReader implements Runnable {
        private final InputStream in;
        final ConcurrentLinkedQueue<String[]> lines = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final Semaphore acks = new Semaphore(0);
        final Semaphore opening = new Semaphore(0);
        volatile boolean ended;

        LineReader(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (in) {
                int b;
                while ((b = in.read()) >= 0) {
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    if (text.startsWith("ACK ")) {
                        lines.add(text.split(" "));
                        acks.release();
                    } else if (text.equals("OPENING")) {
                        opening.release();
                    } else if (text.startsWith("ERR")) {
                        errors.add(text);
                    }
                }
            } catch (IOException e) {
                errors.add("reading the child's output: " + e);
            } finally {
                // The child is gone: wake a parent still waiting for acknowledgements that will never come.
                ended = true;
                acks.release(Integer.MAX_VALUE / 2);
                opening.release();
            }
        }
    }

    /**
     * A read-only WAL of the backend tailing the channel from another "process" (it takes no lock) while the child
     * writes and dies: it must only ever deliver complete, intact messages, in order — never a torn frame — and
     * whatever it delivered must survive the kill.
     */
    private static final class TailingReader implements Runnable {
        final Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        private final OpenerImpls opener;
        private final io.wal4j.spi.ReadOnlyWALImpls wal;
        private final ScannerImpls scanner;
        private final Thread thread;
        private volatile boolean stopping;

        TailingReader(Path dir, Row row) {
            opener = new FileOpenerBuilder().build(KillChild.config(dir.toString(), row.durability));
            wal = opener.openReadOnly(OpenOption.readOnly(KillChild.CHANNEL, 1));
            scanner = wal.read(new ReadOptionImpls("tail", DeliverPolicy.all(), 64));
            thread = new Thread(this, "kill-it-tailing-reader");
            thread.start();
        }

        @Override
        public void run() {
            io.wal4j.api.message.MessageId last = null;
            Map<String, Long> lastSeq = new HashMap<>();
            try {
                while (!stopping) {
                    ImmutableMessage m = scanner.poll(Duration.ofMillis(50));
                    if (m == null || m.messageType().isSystem()) {
                        continue;
                    }
                    if (last != null && !last.isBefore(m.id())) {
                        errors.add("id " + m.id() + " after " + last);
                    }
                    last = m.id();
                    if (m.property(ReliabilityTestUtils.MARKER) != null) {
                        continue;
                    }
                    String bad = ReliabilityTestUtils.verify(m);
                    if (bad != null) {
                        errors.add("corrupt message delivered to a concurrent reader: " + bad);
                        continue;
                    }
                    String writer = m.property(ReliabilityTestUtils.RUN) + "/"
                            + m.property(ReliabilityTestUtils.WRITER);
                    long seq = Long.parseLong(m.property(ReliabilityTestUtils.SEQ));
                    Long previous = lastSeq.put(writer, seq);
                    if (previous != null && previous + 1 != seq) {
                        errors.add("writer " + writer + ": seq " + seq + " after " + previous);
                    }
                    seen.put(ReliabilityTestUtils.key(m), MessageIds.toText(m.id()));
                }
            } catch (io.wal4j.api.WALClosedException e) {
                if (!stopping) {
                    errors.add("reader closed early: " + e);
                }
            } catch (RuntimeException e) {
                errors.add("reader failed: " + e);
            }
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(CHILD_TIMEOUT.toMillis());
            scanner.close();
            wal.close();
            opener.close();
            if (thread.isAlive()) {
                errors.add("reader did not stop");
            }
        }
    }

    private List<ImmutableMessage> reopenAppendMarkerAndRead(Path dir, Row row, String marker) throws Exception {
        WALConfig config = KillChild.config(dir.toString(), row.durability);
        if (row.layer.equals("full")) {
            try (Opener opener = WALRegistry.builder("file").build(config);
                 WAL wal = opener.open(OpenOption.readWrite(KillChild.CHANNEL, 1))) {
                wal.append(ReliabilityTestUtils.marker(marker));
                return ReliabilityTestUtils.readUpToMarker(wal, marker, READ_TIMEOUT);
            }
        }
        try (OpenerImpls opener = new FileOpenerBuilder().build(config);
             WALImpls wal = opener.open(OpenOption.readWrite(KillChild.CHANNEL, 1))) {
            wal.append(ReliabilityTestUtils.marker(marker), Durability.DISK).get(30, TimeUnit.SECONDS);
            List<ImmutableMessage> out = new ArrayList<>();
            try (ScannerImpls scanner = wal.read(new ReadOptionImpls("verify", DeliverPolicy.all(), 64))) {
                while (true) {
                    ImmutableMessage m = scanner.poll(READ_TIMEOUT);
                    assertThat(m).as("marker " + marker + " after " + out.size() + " messages").isNotNull();
                    out.add(m);
                    if (marker.equals(m.property(ReliabilityTestUtils.MARKER))) {
                        return out;
                    }
                }
            }
        }
    }

    /**
     * Checks the whole log: ids strictly increase; every message is intact and appears once; each writer of each run
     * is a gap-free prefix 0..n; runs appear in order; every acknowledged message is there under its id; every
     * earlier marker is there, in order.
     */
    private static void check(List<ImmutableMessage> log, Map<String, String> acknowledged, List<String> markers,
                              String context) {
        Set<String> seen = new HashSet<>();
        Set<io.wal4j.api.message.MessageId> ids = new HashSet<>();
        Map<String, Long> nextSeq = new HashMap<>();
        List<String> markersSeen = new ArrayList<>();
        long lastRun = -1;
        long lastTick = Long.MIN_VALUE;
        for (int i = 0; i < log.size(); i++) {
            ImmutableMessage m = log.get(i);
            // Through the full WAL messages arrive in time-tick order (ids may be out of order between concurrent
            // appenders); straight from the backend, in id order.
            assertThat(ids.add(m.id())).as(context + ": id " + m.id() + " delivered once").isTrue();
            if (m.hasTimeTick()) {
                assertThat(m.timeTick()).as(context + ": time ticks increase at " + m.id()).isGreaterThan(lastTick);
                lastTick = m.timeTick();
            } else if (i > 0) {
                assertThat(log.get(i - 1).id().isBefore(m.id())).as(context + ": ids increase at " + m.id()).isTrue();
            }
            String marker = m.property(ReliabilityTestUtils.MARKER);
            if (marker != null) {
                markersSeen.add(marker);
                continue;
            }
            String corrupt = ReliabilityTestUtils.verify(m);
            assertThat(corrupt).as(context + ": corrupt message delivered at " + m.id()).isNull();
            String key = ReliabilityTestUtils.key(m);
            assertThat(seen.add(key)).as(context + ": duplicate " + key + " at " + m.id()).isTrue();
            long run = Long.parseLong(m.property(ReliabilityTestUtils.RUN));
            assertThat(run).as(context + ": runs in order at " + m.id()).isGreaterThanOrEqualTo(lastRun);
            lastRun = run;
            String writer = run + "/" + m.property(ReliabilityTestUtils.WRITER);
            long seq = Long.parseLong(m.property(ReliabilityTestUtils.SEQ));
            long expected = nextSeq.getOrDefault(writer, 0L);
            assertThat(seq).as(context + ": writer " + writer + " has no gap at " + m.id()).isEqualTo(expected);
            nextSeq.put(writer, expected + 1);
            String ackedId = acknowledged.get(key);
            if (ackedId != null) {
                assertThat(MessageIds.toText(m.id())).as(context + ": id of acknowledged " + key).isEqualTo(ackedId);
            }
        }
        List<String> lost = acknowledged.keySet().stream().filter(k -> !seen.contains(k)).sorted().toList();
        assertThat(lost).as(context + ": acknowledged but lost").isEmpty();
        assertThat(markersSeen).as(context + ": markers").isEqualTo(markers);
    }
}
