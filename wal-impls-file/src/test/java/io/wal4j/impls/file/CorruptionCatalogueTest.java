package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALCorruptionException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte-level corruption catalogue (Kafka, Ratis, etcd, BookKeeper, tidwall precedents) applied to the segment
 * format of {@code FORMAT.md}: every case either recovers the tail (the records before the damage intact, the drop
 * reported with its reason, appends resuming at the next id) or fails the open with a
 * {@link WALCorruptionException} naming the damaged segment and the offset of the bad record. Every surviving record
 * is read back and compared, payload and properties, with what was written.
 *
 * <p>Where the two corruption policies differ, each test first opens with {@code FAIL} (and checks the failed open
 * left every segment byte untouched), then with {@code TRUNCATE_AND_QUARANTINE}. The format has no index file (the
 * id → position index is in memory, rebuilt by the scan), so the catalogue's "garbage appended to the index" has no
 * counterpart here.
 */
class CorruptionCatalogueTest {

    private static final String CHANNEL = "ch";
    private static final String SMALL_SEGMENTS = "1KiB";

    @TempDir
    Path dir;

    /** Record {@code id} as written in generation {@code gen}: varied payload length and bytes, UTF-8 properties. */
    private static MutableMessage record(long id, int gen) {
        Random random = new Random(id * 31 + gen);
        byte[] payload = new byte[17 + (int) (id * 37 % 211)];
        random.nextBytes(payload);
        return MutableMessage.newBuilder().payload(payload).property("id", Long.toString(id))
                .property("gen", Integer.toString(gen)).property("clé", "välue-" + id + "-€").build();
    }

    private static MutableMessage record(long id) {
        return record(id, 1);
    }

    private FileConfig failing(String... extra) {
        return config(dir, extra);
    }

    private FileConfig quarantining(String... extra) {
        String[] kv = Arrays.copyOf(extra, extra.length + 2);
        kv[extra.length] = "corruption-policy";
        kv[extra.length + 1] = CorruptionPolicy.TRUNCATE_AND_QUARANTINE.name();
        return config(dir, kv);
    }

    private static String[] smallSegments() {
        return new String[] {"segment-bytes", SMALL_SEGMENTS};
    }

    /** Writes records {@code 0..count-1} (generation 1) and returns the expected log. */
    private Map<Long, MutableMessage> write(FileConfig config, int count) {
        Map<Long, MutableMessage> expected = new TreeMap<>();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            for (long id = 0; id < count; id++) {
                assertThat(wal.append(record(id), Durability.OS).join()).isEqualTo(FileMessageId.of(id));
                expected.put(id, record(id));
            }
        }
        return expected;
    }

    private static FileWAL open(FileOpener opener) {
        return (FileWAL) opener.open(OpenOption.readWrite(CHANNEL, 1));
    }

    private Path channelDir() {
        return dir.resolve(CHANNEL);
    }

    private List<Path> segments() throws IOException {
        return LogRecovery.listSegments(channelDir());
    }

    private static long base(Path segment) {
        return SegmentFormat.parseFileName(segment.getFileName().toString());
    }

    private static String name(Path segment) {
        return segment.getFileName().toString();
    }

    /** @return the offset of record {@code id} in the segment starting at {@code base} */
    private static long positionOf(long base, long id) {
        long at = SegmentFormat.HEADER_BYTES;
        for (long i = base; i < id; i++) {
            at += SegmentFormat.encodeFrame(record(i)).length;
        }
        return at;
    }

    private static Map<Long, MutableMessage> upTo(Map<Long, MutableMessage> expected, long endExclusive) {
        return new TreeMap<>(((TreeMap<Long, MutableMessage>) expected).headMap(endExclusive));
    }

    private static void xorByte(Path file, long position, int mask) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            assertThat(ch.read(b, position)).isEqualTo(1);
            b.put(0, (byte) (b.get(0) ^ mask)).rewind();
            ch.write(b, position);
        }
    }

    private static void writeAt(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static byte[] garbage(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] range(Path file, long from, long to) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(file), (int) from, (int) to);
    }

    /** @return every segment file's name and bytes, and whether a quarantine directory exists */
    private Map<String, Object> snapshot() throws IOException {
        Map<String, Object> files = new TreeMap<>();
        for (Path p : segments()) {
            files.put(name(p), Files.readAllBytes(p));
        }
        files.put("quarantine exists", Files.exists(channelDir().resolve("quarantine")));
        return files;
    }

    private static void assertSameSnapshot(Map<String, Object> before, Map<String, Object> after) {
        assertThat(after.keySet()).as("files after a failed open").isEqualTo(before.keySet());
        before.forEach((k, v) -> {
            if (v instanceof byte[] bytes) {
                assertThat((byte[]) after.get(k)).as("bytes of %s after a failed open", k).isEqualTo(bytes);
            } else {
                assertThat(after.get(k)).as(k).isEqualTo(v);
            }
        });
    }

    /**
     * Opens with the FAIL policy, expects a {@link WALCorruptionException} at {@code file}/{@code position} whose
     * message contains {@code reason}, and checks that the failed open changed no byte.
     */
    private void assertOpenFails(FileConfig config, Path file, long position, String reason) throws IOException {
        Map<String, Object> before = snapshot();
        try (FileOpener opener = opener(config, Storage.real())) {
            assertThatThrownBy(() -> open(opener)).isInstanceOfSatisfying(WALCorruptionException.class, e -> {
                assertThat(e.file()).isEqualTo(file.toString());
                assertThat(e.position()).isEqualTo(position);
                assertThat(e.getMessage()).contains(reason);
            });
        }
        assertSameSnapshot(before, snapshot());
    }

    private static void assertSameMessage(ImmutableMessage actual, long id, MutableMessage expected) {
        assertThat(((FileMessageId) actual.id()).sequence()).isEqualTo(id);
        assertThat(actual.payload()).as("payload of %d", id).isEqualTo(expected.payload());
        assertThat(actual.properties()).as("properties of %d", id).isEqualTo(expected.properties());
    }

    /** Reads the whole log and compares every record, id, payload and properties, with {@code expected}. */
    private static void assertLog(FileWAL wal, Map<Long, MutableMessage> expected) {
        List<ImmutableMessage> all = FileTestUtils.readAll(wal);
        assertThat(FileTestUtils.ids(all)).containsExactlyElementsOf(expected.keySet());
        int i = 0;
        for (Map.Entry<Long, MutableMessage> e : expected.entrySet()) {
            assertSameMessage(all.get(i++), e.getKey(), e.getValue());
        }
    }

    /**
     * Appends two new-generation records (so they cannot be confused with what was there before), checks they take
     * the next ids, then reopens with {@code config} and checks the open is clean and the whole log reads back.
     */
    private void assertAppendsResume(FileWAL wal, FileConfig config, Map<Long, MutableMessage> kept, long next)
            throws IOException {
        Map<Long, MutableMessage> expected = new TreeMap<>(kept);
        for (long id = next; id < next + 2; id++) {
            MutableMessage m = record(id, 2);
            assertThat(wal.append(m, Durability.DISK).join()).isEqualTo(FileMessageId.of(id));
            expected.put(id, m);
        }
        assertLog(wal, expected);
        wal.close();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL again = open(opener)) {
            assertThat(again.recoveryReport().isClean()).as("report after the repair: %s", again.recoveryReport())
                    .isTrue();
            assertLog(again, expected);
        }
    }

    private static RecoveryReport.Drop onlyDrop(FileWAL wal) {
        List<RecoveryReport.Drop> drops = wal.recoveryReport().drops();
        assertThat(drops).as("drops").hasSize(1);
        return drops.get(0);
    }

    private static void assertQuarantined(RecoveryReport.Drop drop, byte[] bytes) throws IOException {
        assertThat(drop.quarantinedTo()).as("quarantine copy of %s", drop).isPresent();
        assertThat(Files.readAllBytes(Path.of(drop.quarantinedTo().orElseThrow()))).isEqualTo(bytes);
    }

    // 1. Random garbage appended to the last segment (Kafka testCorruptLog).

    @Test
    void garbageAppendedToTheLastSegmentFailsTheOpenOrIsQuarantinedKeepingEveryRecord() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(2);
        Path last = segments.get(segments.size() - 1);
        long end = Files.size(last);
        byte[] junk = garbage(100, 1);
        assertThat(SegmentFormat.bodyLength(ByteBuffer.wrap(junk))).as("precondition: not a frame header")
                .isEqualTo(-1);
        Files.write(last, junk, StandardOpenOption.APPEND);

        assertOpenFails(failing(smallSegments()), last, end, "malformed record header");

        FileConfig config = quarantining(smallSegments());
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport report = wal.recoveryReport();
            assertThat(report.trustedSegments()).isEqualTo(segments.subList(0, segments.size() - 1).stream()
                    .map(CorruptionCatalogueTest::name).toList());
            assertThat(report.scannedSegments()).containsExactly(name(last));
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.file()).isEqualTo(name(last));
            assertThat(drop.position()).isEqualTo(end);
            assertThat(drop.bytes()).isEqualTo(junk.length);
            assertThat(drop.reason()).contains("malformed record header");
            assertQuarantined(drop, junk);
            assertThat(Files.size(last)).isEqualTo(end);
            assertLog(wal, expected);
            assertAppendsResume(wal, config, expected, expected.size());
        }
    }

    @Test
    void garbageAfterTheSealFooterOfALastSegmentFailsTheOpenOrCutsTheFooterAndTheGarbage() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        List<Path> segments = segments();
        // A crash between sealing a segment and creating the next one leaves a sealed last segment.
        Path unsealed = segments.get(segments.size() - 1);
        Files.delete(unsealed);
        Path last = segments.get(segments.size() - 2);
        long footerAt = Files.size(last) - SegmentFormat.FOOTER_BYTES;
        byte[] footer = range(last, footerAt, Files.size(last));
        byte[] junk = garbage(64, 5);
        Files.write(last, junk, StandardOpenOption.APPEND);

        assertOpenFails(failing(smallSegments()), last, footerAt, "seal footer inconsistent with the segment");

        FileConfig config = quarantining(smallSegments());
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.file()).isEqualTo(name(last));
            assertThat(drop.position()).isEqualTo(footerAt);
            assertThat(drop.bytes()).isEqualTo(SegmentFormat.FOOTER_BYTES + junk.length);
            byte[] cut = Arrays.copyOf(footer, footer.length + junk.length);
            System.arraycopy(junk, 0, cut, footer.length, junk.length);
            assertQuarantined(drop, cut);
            Map<Long, MutableMessage> kept = upTo(expected, base(unsealed));
            assertLog(wal, kept);
            assertAppendsResume(wal, config, kept, kept.size());
        }
    }

    @Test
    void garbageShorterThanAFrameHeaderAtTheEndIsATornTailUnderEitherPolicy() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 6);
        Path last = segments().get(0);
        long end = Files.size(last);
        Files.write(last, garbage(SegmentFormat.FRAME_HEADER_BYTES - 1, 2), StandardOpenOption.APPEND);
        FileConfig config = failing();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.position()).isEqualTo(end);
            assertThat(drop.bytes()).isEqualTo(SegmentFormat.FRAME_HEADER_BYTES - 1);
            assertThat(drop.records()).isZero();
            assertThat(drop.reason()).isEqualTo("torn record header");
            assertThat(drop.quarantinedTo()).isEmpty();
            assertLog(wal, expected);
            assertAppendsResume(wal, config, expected, expected.size());
        }
    }

    // 2. A single flipped byte inside a record (Ratis testReadWithEntryCorruption).

    @Test
    void aFlippedByteInASealedSegmentOpensCleanlyAndFailsTheReadAtThatRecordUnderEitherPolicy() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(2);
        Path sealed = segments.get(0);
        long bad = base(segments.get(1)) - 1;
        assertThat(bad).as("precondition: a record before the damaged one in the first segment").isPositive();
        long at = positionOf(0, bad);
        xorByte(sealed, at + SegmentFormat.FRAME_HEADER_BYTES + 6, 0x01);
        for (FileConfig config : List.of(failing(smallSegments()), quarantining(smallSegments()))) {
            try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
                // Sealed segments are trusted from their footer: the open does not read their records.
                assertThat(wal.recoveryReport().isClean()).isTrue();
                assertThat(wal.recoveryReport().trustedSegments()).contains(name(sealed));
                List<ImmutableMessage> before = new ArrayList<>();
                try (ScannerImpls scanner = wal.read(new ReadOptionImpls("all", DeliverPolicy.all(), 1))) {
                    for (long id = 0; id < bad; id++) {
                        ImmutableMessage m = scanner.poll(Duration.ZERO);
                        assertThat(m).isNotNull();
                        before.add(m);
                    }
                    for (int attempt = 0; attempt < 2; attempt++) {
                        assertThatThrownBy(() -> scanner.poll(Duration.ZERO)).as("the failure is sticky")
                                .isInstanceOfSatisfying(WALCorruptionException.class, e -> {
                                    assertThat(e.file()).isEqualTo(sealed.toString());
                                    assertThat(e.position()).isEqualTo(at);
                                    assertThat(e.getMessage()).contains("BAD_CRC");
                                });
                    }
                }
                for (int i = 0; i < before.size(); i++) {
                    assertSameMessage(before.get(i), i, expected.get((long) i));
                }
                // Every other segment still reads back intact.
                long next = base(segments.get(1));
                List<ImmutableMessage> rest = FileTestUtils.read(wal, DeliverPolicy.startFrom(FileMessageId.of(next)));
                assertThat(FileTestUtils.ids(rest)).containsExactlyElementsOf(
                        expected.keySet().stream().filter(id -> id >= next).toList());
                for (ImmutableMessage m : rest) {
                    long id = ((FileMessageId) m.id()).sequence();
                    assertSameMessage(m, id, expected.get(id));
                }
            }
        }
    }

    @Test
    void aFlippedByteInARecordInsideTheLastSegmentFailsTheOpenOrIsQuarantined() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 10);
        Path last = segments().get(0);
        long size = Files.size(last);
        long at = positionOf(0, 6);
        xorByte(last, at + SegmentFormat.FRAME_HEADER_BYTES + 9, 0x80);
        byte[] cutBytes = range(last, at, size);

        assertOpenFails(failing(), last, at, "record checksum mismatch");

        FileConfig config = quarantining();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.file()).isEqualTo(name(last));
            assertThat(drop.position()).isEqualTo(at);
            assertThat(drop.bytes()).isEqualTo(size - at);
            assertThat(drop.reason()).contains("record checksum mismatch");
            assertQuarantined(drop, cutBytes);
            Map<Long, MutableMessage> kept = upTo(expected, 6);
            assertLog(wal, kept);
            assertAppendsResume(wal, config, kept, kept.size());
        }
    }

    // 3. Non-zero bytes in a zero-padded tail (Ratis testReadWithCorruptPadding).

    @Test
    void aNonZeroByteInsideAZeroPaddedTailFailsTheOpenOrIsQuarantined() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 8);
        Path last = segments().get(0);
        long end = Files.size(last);
        byte[] padding = new byte[4096];
        padding[1000] = 0x7F;
        Files.write(last, padding, StandardOpenOption.APPEND);

        assertOpenFails(failing(), last, end, "zero record header followed by data");

        FileConfig config = quarantining();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.position()).isEqualTo(end);
            assertThat(drop.bytes()).isEqualTo(padding.length);
            assertThat(drop.reason()).contains("zero record header followed by data");
            assertQuarantined(drop, padding);
            assertLog(wal, expected);
            assertAppendsResume(wal, config, expected, expected.size());
        }
    }

    @Test
    void aNonZeroByteInTheFirstFrameHeaderOfAZeroPaddedTailIsATornRecordHeader() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 8);
        Path last = segments().get(0);
        long end = Files.size(last);
        byte[] padding = new byte[4096];
        padding[3] = 0x2A;
        Files.write(last, padding, StandardOpenOption.APPEND);
        FileConfig config = failing();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.position()).isEqualTo(end);
            assertThat(drop.bytes()).isEqualTo(padding.length);
            assertThat(drop.reason()).isEqualTo("torn record header");
            assertLog(wal, expected);
            assertAppendsResume(wal, config, expected, expected.size());
        }
    }

    // 4. A zeroed record in the middle of the last segment, then appends past it (etcd TestOpenOnTornWrite).

    @Test
    void aZeroedRecordInTheMiddleOfTheLastSegmentFailsTheOpenOrIsCutAndAppendsGoPastIt() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 10);
        Path last = segments().get(0);
        long size = Files.size(last);
        long at = positionOf(0, 4);
        writeAt(last, at, new byte[SegmentFormat.encodeFrame(record(4)).length]);
        byte[] cutBytes = range(last, at, size);

        assertOpenFails(failing(), last, at, "zero record header followed by data");

        FileConfig config = quarantining();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.file()).isEqualTo(name(last));
            assertThat(drop.position()).isEqualTo(at);
            assertThat(drop.bytes()).isEqualTo(size - at);
            assertThat(drop.reason()).contains("zero record header followed by data");
            assertQuarantined(drop, cutBytes);
            Map<Long, MutableMessage> kept = upTo(expected, 4);
            assertLog(wal, kept);
            assertAppendsResume(wal, config, kept, kept.size());
        }
    }

    // 5. A truncated length field, and a cut in the middle of an entry (BookKeeper testTruncatedInLenJournal…).

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 11})
    void aFrameHeaderCutShortAtTheEndIsATornTailUnderEitherPolicy(int kept) throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 5);
        Path last = segments().get(0);
        long end = Files.size(last);
        Files.write(last, Arrays.copyOf(SegmentFormat.encodeFrame(record(5)), kept), StandardOpenOption.APPEND);
        FileConfig config = failing();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.position()).isEqualTo(end);
            assertThat(drop.bytes()).isEqualTo(kept);
            assertThat(drop.records()).isZero();
            assertThat(drop.reason()).isEqualTo("torn record header");
            assertLog(wal, expected);
            assertAppendsResume(wal, config, expected, expected.size());
        }
    }

    @Test
    void aCutInTheMiddleOfTheLastEntryIsAnIncompleteRecordUnderEitherPolicy() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 6);
        Path last = segments().get(0);
        long at = positionOf(0, 5);
        int frame = SegmentFormat.encodeFrame(record(5)).length;
        truncate(last, at + frame / 2);
        byte[] damagedFile = Files.readAllBytes(last);
        for (FileConfig config : List.of(failing(), quarantining())) {
            Files.write(last, damagedFile);
            try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
                RecoveryReport.Drop drop = onlyDrop(wal);
                assertThat(drop.position()).isEqualTo(at);
                assertThat(drop.bytes()).isEqualTo(frame / 2);
                assertThat(drop.records()).isEqualTo(1);
                assertThat(drop.reason()).isEqualTo("incomplete record");
                assertThat(drop.quarantinedTo()).isEmpty();
                assertLog(wal, upTo(expected, 5));
            }
            assertThat(Files.size(last)).isEqualTo(at);
        }
        FileConfig config = failing();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            assertThat(wal.recoveryReport().isClean()).isTrue();
            assertAppendsResume(wal, config, upTo(expected, 5), 5);
        }
    }

    @Test
    void aCutInTheMiddleOfAnEntryOfASealedSegmentFailsTheOpenOrQuarantinesEverythingFromThere()
            throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(2);
        Path sealed = segments.get(0);
        long lastOfFirst = base(segments.get(1)) - 1;
        assertThat(lastOfFirst).as("precondition: two records in the first segment").isPositive();
        long at = positionOf(0, lastOfFirst);
        long cutSize = at + 5 + SegmentFormat.FRAME_HEADER_BYTES;
        truncate(sealed, cutSize);

        assertOpenFails(failing(smallSegments()), sealed, at, "is not sealed but " + name(segments.get(1)));

        FileConfig config = quarantining(smallSegments());
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            List<RecoveryReport.Drop> drops = wal.recoveryReport().drops();
            assertThat(drops).hasSize(segments.size());
            assertThat(drops.get(0).file()).isEqualTo(name(sealed));
            assertThat(drops.get(0).position()).isEqualTo(at);
            assertThat(drops.get(0).bytes()).isEqualTo(cutSize - at);
            assertThat(drops.get(0).reason()).contains("truncated record");
            for (int i = 1; i < segments.size(); i++) {
                RecoveryReport.Drop d = drops.get(i);
                assertThat(d.file()).isEqualTo(name(segments.get(i)));
                assertThat(d.reason()).contains("whole segment quarantined");
                assertThat(Path.of(d.quarantinedTo().orElseThrow())).exists();
            }
            assertThat(segments()).containsExactly(sealed);
            Map<Long, MutableMessage> kept = upTo(expected, lastOfFirst);
            assertLog(wal, kept);
            assertAppendsResume(wal, config, kept, kept.size());
        }
    }

    // 6. All-junk, empty and header-only segment files (BookKeeper testAllJunkJournal, testEmptyJournal,
    //    testHeaderOnlyJournal).

    @Test
    void anAllJunkLastSegmentFailsTheOpenAtPositionZeroOrIsQuarantinedWhole() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        List<Path> segments = segments();
        Path last = segments.get(segments.size() - 1);
        byte[] junk = garbage((int) Files.size(last), 3);
        Files.write(last, junk);

        assertOpenFails(failing(smallSegments()), last, 0, "bad segment magic");

        FileConfig config = quarantining(smallSegments());
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.file()).isEqualTo(name(last));
            assertThat(drop.position()).isZero();
            assertThat(drop.bytes()).isEqualTo(junk.length);
            assertThat(drop.reason()).contains("quarantined");
            assertQuarantined(drop, junk);
            Map<Long, MutableMessage> kept = upTo(expected, base(last));
            assertLog(wal, kept);
            assertAppendsResume(wal, config, kept, kept.size());
        }
    }

    @Test
    void anEmptyLastSegmentIsDeletedAndReportedUnderEitherPolicy() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        List<Path> segments = segments();
        Path last = segments.get(segments.size() - 1);
        truncate(last, 0);
        FileConfig config = failing(smallSegments());
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.file()).isEqualTo(name(last));
            assertThat(drop.position()).isZero();
            assertThat(drop.bytes()).isZero();
            assertThat(drop.reason()).startsWith("torn segment header");
            Map<Long, MutableMessage> kept = upTo(expected, base(last));
            assertLog(wal, kept);
            assertAppendsResume(wal, config, kept, kept.size());
        }
    }

    @Test
    void aChannelWhoseOnlySegmentIsEmptyOpensEmptyAndStartsAtIdZero() throws IOException {
        Files.createDirectories(channelDir());
        Files.write(channelDir().resolve(SegmentFormat.fileName(0)), new byte[0]);
        FileConfig config = quarantining();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            assertThat(onlyDrop(wal).reason()).startsWith("torn segment header");
            assertLog(wal, Map.of());
            assertAppendsResume(wal, config, new TreeMap<>(), 0);
        }
    }

    @Test
    void aHeaderOnlyLastSegmentIsAValidEmptyTailUnderEitherPolicy() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        List<Path> segments = segments();
        Path last = segments.get(segments.size() - 1);
        truncate(last, SegmentFormat.HEADER_BYTES);
        for (FileConfig config : List.of(quarantining(smallSegments()), failing(smallSegments()))) {
            try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
                RecoveryReport report = wal.recoveryReport();
                assertThat(report.isClean()).isTrue();
                assertThat(report.scannedSegments()).containsExactly(name(last));
                assertThat(report.recordsScanned()).isZero();
                assertLog(wal, upTo(expected, base(last)));
            }
        }
        FileConfig config = failing(smallSegments());
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            assertAppendsResume(wal, config, upTo(expected, base(last)), base(last));
        }
        assertThat(segments()).as("appends went into the header-only segment").hasSameSizeAs(segments);
    }

    @Test
    void aHeaderOnlySegmentFollowedByAnotherFailsTheOpenOrQuarantinesTheLaterSegments() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(2);
        Path middle = segments.get(1);
        truncate(middle, SegmentFormat.HEADER_BYTES);

        assertOpenFails(failing(smallSegments()), middle, SegmentFormat.HEADER_BYTES,
                "is not sealed but " + name(segments.get(2)) + " follows (no seal footer)");

        FileConfig config = quarantining(smallSegments());
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            List<RecoveryReport.Drop> drops = wal.recoveryReport().drops();
            assertThat(drops).hasSize(segments.size() - 1);
            assertThat(drops.get(0).file()).isEqualTo(name(middle));
            assertThat(drops.get(0).position()).isEqualTo(SegmentFormat.HEADER_BYTES);
            assertThat(drops.get(0).bytes()).isZero();
            for (int i = 2; i < segments.size(); i++) {
                assertThat(drops.get(i - 1).file()).isEqualTo(name(segments.get(i)));
                assertThat(drops.get(i - 1).reason()).contains("whole segment quarantined");
            }
            assertThat(segments()).containsExactly(segments.get(0), middle);
            Map<Long, MutableMessage> kept = upTo(expected, base(middle));
            assertLog(wal, kept);
            assertAppendsResume(wal, config, kept, kept.size());
        }
    }

    // 7. A corrupted tail: the last record's bytes damaged (tidwall fail-corrupted-tail).

    @ParameterizedTest(name = "damage at frame offset {0}")
    @ValueSource(ints = {8, 11, SegmentFormat.FRAME_HEADER_BYTES, SegmentFormat.FRAME_HEADER_BYTES + 20, -1})
    void aDamagedBodyOrChecksumOfTheLastRecordIsATornRecordUnderEitherPolicy(int offset) throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 7);
        Path last = segments().get(0);
        long size = Files.size(last);
        long at = positionOf(0, 6);
        long damaged = offset < 0 ? size - 1 : at + offset;
        xorByte(last, damaged, 0x10);
        byte[] damagedFile = Files.readAllBytes(last);
        for (FileConfig config : List.of(failing(), quarantining())) {
            Files.write(last, damagedFile);
            try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
                RecoveryReport.Drop drop = onlyDrop(wal);
                assertThat(drop.position()).isEqualTo(at);
                assertThat(drop.bytes()).isEqualTo(size - at);
                assertThat(drop.records()).isEqualTo(1);
                assertThat(drop.reason()).isEqualTo("torn record (checksum mismatch at the tail)");
                assertThat(drop.quarantinedTo()).isEmpty();
                assertLog(wal, upTo(expected, 6));
            }
            assertThat(Files.size(last)).isEqualTo(at);
        }
        FileConfig config = failing();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            assertAppendsResume(wal, config, upTo(expected, 6), 6);
        }
    }

    @ParameterizedTest(name = "damage at frame offset {0}")
    @ValueSource(ints = {0, 3, 5})
    void aDamagedLengthFieldOfTheLastRecordFailsTheOpenOrIsQuarantined(int offset) throws IOException {
        Map<Long, MutableMessage> expected = write(failing(), 7);
        Path last = segments().get(0);
        long size = Files.size(last);
        long at = positionOf(0, 6);
        xorByte(last, at + offset, 0x04);
        byte[] cutBytes = range(last, at, size);

        // The body after a malformed header is not zero, so this is not a torn header write: FORMAT.md rule 3.
        assertOpenFails(failing(), last, at, "malformed record header");

        FileConfig config = quarantining();
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            RecoveryReport.Drop drop = onlyDrop(wal);
            assertThat(drop.position()).isEqualTo(at);
            assertThat(drop.bytes()).isEqualTo(size - at);
            assertThat(drop.reason()).contains("malformed record header");
            assertQuarantined(drop, cutBytes);
            Map<Long, MutableMessage> kept = upTo(expected, 6);
            assertLog(wal, kept);
            assertAppendsResume(wal, config, kept, kept.size());
        }
    }

    @Test
    void withoutDamageTheCatalogueLogReopensCleanAndReadsBackExactly() throws IOException {
        Map<Long, MutableMessage> expected = write(failing(smallSegments()), 20);
        assertThat(segments()).hasSizeGreaterThan(2);
        FileConfig config = failing(smallSegments());
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = open(opener)) {
            assertThat(wal.recoveryReport().isClean()).isTrue();
            assertLog(wal, expected);
            assertAppendsResume(wal, config, expected, 20);
        }
    }
}
