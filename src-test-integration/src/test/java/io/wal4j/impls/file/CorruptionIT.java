package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALCorruptionException;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The corruption matrix of issue 6, item 4, on a small multi-segment log (20 messages in 1 KiB segments: sealed
 * segments trusted from their footer, an unsealed tail scanned at open): a flipped byte, a zeroed range, a cut at
 * every offset of every segment, plus the junk-file catalogue of {@code anchors.md}. Each damaged copy is opened with
 * the default policy ({@code FAIL}) and must either open — and then deliver only messages identical to what was
 * written under their id, a gap-free prefix, ending at most with a {@link WALCorruptionException} from the scanner
 * that names the file — or fail with a {@link WALCorruptionException} naming the damaged file and a position at or
 * before the damage. Never silently wrong data. The truncate-and-quarantine policy must then open every damaged copy,
 * keep a prefix, and quarantine the rest.
 */
class CorruptionIT {

    private static final int MESSAGES = 20;
    private static final Map<String, Long> FIGURES = new TreeMap<>();

    private Path tmp;

    private Path pristine;
    private List<MutableMessage> written;
    private Map<String, Long> sizes;

    @AfterEach
    void deleteScratch() throws IOException {
        PowerLossIT.deleteTree(tmp);
    }

    @BeforeEach
    void writeASmallMultiSegmentLog() throws Exception {
        tmp = ScratchDirs.create("wal4j-corruption-");
        pristine = tmp.resolve("pristine");
        written = new ArrayList<>();
        try (FileOpener opener = new FileOpener(config(pristine, "FAIL"), Storage.real(), System::currentTimeMillis);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("c", 1))) {
            for (int i = 0; i < MESSAGES; i++) {
                MutableMessage m = message(i);
                written.add(m);
                wal.append(m, Durability.DISK).get(30, TimeUnit.SECONDS);
            }
        }
        sizes = PowerLossIT.segmentSizes(pristine.resolve("c"));
        assertThat(sizes).as("the log spans several segments").hasSizeGreaterThanOrEqualTo(3);
    }

    @AfterAll
    static void printFigures() {
        StringBuilder line = new StringBuilder("FIGURES CorruptionIT");
        FIGURES.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line.append(" corruptDelivered=0"));
    }

    static FileConfig config(Path dir, String policy) {
        return FileConfig.from(WALConfig.of(Map.of("wal.file.dir", dir.toString(), "wal.file.segment-bytes", "1024",
                "wal.file.corruption-policy", policy)));
    }

    static MutableMessage message(int i) {
        byte[] payload = ("message-" + i + "-" + "x".repeat(40 + 7 * i)).getBytes(StandardCharsets.UTF_8);
        return MutableMessage.newBuilder().payload(payload).property("i", Integer.toString(i)).build();
    }

    /** A way of damaging one file at one offset. */
    @FunctionalInterface
    private interface Damage {
        void apply(FileChannel file, long offset) throws IOException;
    }

    @Test
    void aFlippedByteAtEveryOffsetIsDetectedOrRecoveredNeverDeliveredSilently() throws Exception {
        sweep("byteFlip", (file, at) -> {
            ByteBuffer b = ByteBuffer.allocate(1);
            file.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            file.write(b.rewind(), at);
        }, 1);
    }

    @Test
    void aZeroedRangeAtEveryOffsetIsDetectedOrRecoveredNeverDeliveredSilently() throws Exception {
        sweep("zeroed8", (file, at) -> file.write(ByteBuffer.allocate((int) Math.min(8, file.size() - at)), at), 1);
    }

    @Test
    void aCutAtEveryOffsetIsDetectedOrRecoveredNeverDeliveredSilently() throws Exception {
        sweep("truncation", FileChannel::truncate, 1);
    }

    @Test
    void garbageAppendedToTheTailIsRecoveredOrRefusedNeverDelivered() throws Exception {
        String last = new ArrayList<>(sizes.keySet()).get(sizes.size() - 1);
        byte[] junk = new byte[300];
        new java.util.Random(42).nextBytes(junk);
        sweepOne("garbageAppended", last, sizes.get(last), (file, at) -> file.write(ByteBuffer.wrap(junk), at));
    }

    @Test
    void allJunkEmptyAndHeaderOnlySegmentsAreRecoveredOrRefused() throws Exception {
        String last = new ArrayList<>(sizes.keySet()).get(sizes.size() - 1);
        byte[] junk = new byte[(int) (long) sizes.get(last)];
        new java.util.Random(7).nextBytes(junk);
        sweepOne("allJunkTail", last, 0, (file, at) -> file.write(ByteBuffer.wrap(junk), 0));
        sweepOne("emptyTail", last, 0, (file, at) -> file.truncate(0));
        sweepOne("headerOnlyTail", last, SegmentFormat.HEADER_BYTES,
                (file, at) -> file.truncate(SegmentFormat.HEADER_BYTES));
        String first = sizes.keySet().iterator().next();
        sweepOne("allJunkSealed", first, 0, (file, at) -> {
            byte[] bytes = new byte[(int) file.size()];
            new java.util.Random(9).nextBytes(bytes);
            file.write(ByteBuffer.wrap(bytes), 0);
        });
    }

    private void sweep(String name, Damage damage, int stride) throws Exception {
        for (Map.Entry<String, Long> segment : sizes.entrySet()) {
            for (long at = 0; at < segment.getValue(); at += stride) {
                sweepOne(name, segment.getKey(), at, damage);
            }
        }
    }

    /** Damages a fresh copy, checks it under both policies, counts the outcome. */
    private void sweepOne(String name, String segment, long at, Damage damage) throws Exception {
        String outcome = check(name, segment, at, damage, "FAIL");
        FIGURES.merge(name + "." + outcome, 1L, Long::sum);
        if (!outcome.equals("clean")) {
            String quarantined = check(name, segment, at, damage, "TRUNCATE_AND_QUARANTINE");
            assertThat(quarantined).as(name + " of " + segment + " at " + at + " under TRUNCATE_AND_QUARANTINE")
                    .isNotEqualTo("refused");
            FIGURES.merge(name + ".quarantine." + quarantined, 1L, Long::sum);
        }
    }

    /** @return "clean", "recovered" (opened with drops), "detectedOnRead" or "refused" (open failed) */
    private String check(String name, String segment, long at, Damage damage, String policy) throws Exception {
        String context = name + " of " + segment + " at " + at + " (" + policy + ")";
        Path root = tmp.resolve("case");
        PowerLossIT.deleteTree(root);
        copyTree(pristine, root);
        Path file = root.resolve("c").resolve(segment);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            damage.apply(ch, at);
        }
        try (FileOpener opener = new FileOpener(config(root, policy), Storage.real(), System::currentTimeMillis)) {
            FileWAL wal;
            try {
                wal = (FileWAL) opener.open(OpenOption.readWrite("c", 1));
            } catch (WALCorruptionException e) {
                assertThat(policy).as(context + ": only FAIL refuses: " + e).isEqualTo("FAIL");
                assertThat(Path.of(e.file()).getFileName().toString()).as(context + ": the exception names the file")
                        .isEqualTo(segment);
                assertThat(e.position()).as(context + ": the position is at or before the damage")
                        .isLessThanOrEqualTo(at);
                assertThat(e.getMessage()).contains(segment).contains("position " + e.position());
                return "refused";
            }
            try (wal) {
                RecoveryReport report = wal.recoveryReport();
                String outcome = readAndCompare(wal, context);
                if (policy.equals("TRUNCATE_AND_QUARANTINE") && report.drops().stream()
                        .anyMatch(d -> d.quarantinedTo().isPresent())) {
                    for (RecoveryReport.Drop d : report.drops()) {
                        d.quarantinedTo().ifPresent(q -> assertThat(Path.of(q)).as(context + ": quarantined copy")
                                .exists());
                    }
                }
                // Appends resume after whatever was kept.
                long kept = countReadable(wal);
                Object next = wal.append(message(999), Durability.DISK).get(30, TimeUnit.SECONDS);
                // Past a corrupt sealed segment (detected on read) the intact tail decides the next id.
                long expectedNext = kept >= 0 ? kept : MESSAGES;
                assertThat(next).as(context + ": appends resume at the next id")
                        .isEqualTo(FileMessageId.of(expectedNext));
                if (outcome.equals("clean") && !report.isClean()) {
                    outcome = "recovered";
                }
                return outcome;
            }
        }
    }

    /** Reads everything: each message must be exactly the one written under its id, a gap-free prefix. */
    private String readAndCompare(FileWAL wal, String context) {
        int i = 0;
        try (ScannerImpls scanner = wal.read(new ReadOptionImpls("check", DeliverPolicy.all(), 8))) {
            while (true) {
                ImmutableMessage m;
                try {
                    m = scanner.poll(Duration.ZERO);
                } catch (WALCorruptionException e) {
                    assertThat(Path.of(e.file()).getFileName().toString()).as(context + ": " + e).endsWith(".seg");
                    return "detectedOnRead";
                } catch (WALException e) {
                    throw new AssertionError(context + ": scanner failed with something else than corruption", e);
                }
                if (m == null) {
                    return "clean";
                }
                assertThat(m.id()).as(context + ": ids form a gap-free prefix").isEqualTo(FileMessageId.of(i));
                assertThat(i).as(context + ": no message beyond those written").isLessThan(MESSAGES);
                assertThat(m.payload()).as(context + ": payload of " + i).isEqualTo(written.get(i).payload());
                assertThat(m.properties()).as(context + ": properties of " + i).isEqualTo(written.get(i).properties());
                i++;
            }
        }
    }

    private static long countReadable(FileWAL wal) {
        long n = 0;
        try (ScannerImpls scanner = wal.read(new ReadOptionImpls("count", DeliverPolicy.all(), 8))) {
            while (scanner.poll(Duration.ZERO) != null) {
                n++;
            }
        } catch (WALCorruptionException e) {
            // The log's end is unknown past a corrupt sealed segment; appends continue after the writer's tail.
            return -1;
        }
        return n;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
