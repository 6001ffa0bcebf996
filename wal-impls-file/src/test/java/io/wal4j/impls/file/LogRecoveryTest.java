package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.ids;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.payload;
import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALCorruptionException;
import io.wal4j.api.message.ImmutableMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRecoveryTest {

    private static final String FIRST = SegmentFormat.fileName(0);

    @TempDir
    Path dir;

    private void write(FileConfig config, int count) {
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < count; i++) {
                wal.append(message(i), Durability.OS).join();
            }
        }
    }

    private FileWAL reopen(FileOpener opener) {
        return (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
    }

    private Path segment(String name) {
        return dir.resolve("ch").resolve(name);
    }

    /** @return the position of record {@code index} in the first segment written by {@link #write} */
    private static long positionOf(int index) {
        long at = SegmentFormat.HEADER_BYTES;
        for (int i = 0; i < index; i++) {
            at += SegmentFormat.encodeFrame(message(i)).length;
        }
        return at;
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, position);
        }
    }

    @Test
    void aTornRecordAtTheTailIsTruncatedAndReported() throws IOException {
        FileConfig config = config(dir);
        write(config, 10);
        byte[] frame = SegmentFormat.encodeFrame(message(10));
        appendBytes(segment(FIRST), java.util.Arrays.copyOf(frame, frame.length / 2));
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = reopen(opener)) {
            RecoveryReport report = wal.recoveryReport();
            assertThat(report.drops()).singleElement().satisfies(d -> {
                assertThat(d.file()).isEqualTo(FIRST);
                assertThat(d.position()).isEqualTo(positionOf(10));
                assertThat(d.bytes()).isEqualTo(frame.length / 2);
                assertThat(d.reason()).isEqualTo("incomplete record");
            });
            assertThat(ids(readAll(wal))).containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
            assertThat(wal.append(message(10), Durability.DISK).join()).isEqualTo(FileMessageId.of(10));
        }
        assertThat(Files.size(segment(FIRST))).isEqualTo(positionOf(11));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"0", "512"})
    void aLastFrameCutAtAnyByteWithOrWithoutZerosAfterItIsATornTail(int zeros) throws IOException {
        FileConfig config = config(dir);
        write(config, 3);
        long end = Files.size(segment(FIRST));
        byte[] frame = SegmentFormat.encodeFrame(message(3));
        for (int keep = 1; keep < frame.length; keep++) {
            try (FileChannel ch = FileChannel.open(segment(FIRST), StandardOpenOption.WRITE)) {
                ch.truncate(end);
                ch.write(ByteBuffer.wrap(frame, 0, keep), end);
                ch.write(ByteBuffer.allocate(zeros), end + keep);
            }
            try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = reopen(opener)) {
                int kept = keep;
                assertThat(wal.recoveryReport().drops()).as("keep %d", keep).singleElement().satisfies(d -> {
                    assertThat(d.position()).isEqualTo(end);
                    assertThat(d.bytes()).isEqualTo(kept + zeros);
                });
                assertThat(readAll(wal)).as("keep %d", keep).hasSize(3);
            }
        }
    }

    @Test
    void aTornFrameHeaderAtTheTailIsTruncated() throws IOException {
        FileConfig config = config(dir);
        write(config, 3);
        appendBytes(segment(FIRST), new byte[] {0, 0, 0, 42, (byte) 0xFF});
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = reopen(opener)) {
            assertThat(wal.recoveryReport().drops()).singleElement()
                    .satisfies(d -> assertThat(d.reason()).isEqualTo("torn record header"));
            assertThat(readAll(wal)).hasSize(3);
        }
    }

    @Test
    void aChecksumMismatchInTheLastRecordIsATornTail() throws IOException {
        FileConfig config = config(dir);
        write(config, 5);
        flipByte(segment(FIRST), positionOf(4) + SegmentFormat.FRAME_HEADER_BYTES + 2);
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = reopen(opener)) {
            assertThat(wal.recoveryReport().drops()).singleElement().satisfies(d -> {
                assertThat(d.reason()).contains("torn record");
                assertThat(d.records()).isEqualTo(1);
            });
            assertThat(ids(readAll(wal))).containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @Test
    void aZeroFilledTailNeverReadsAsData() throws IOException {
        FileConfig config = config(dir);
        write(config, 4);
        appendBytes(segment(FIRST), new byte[8192]);
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = reopen(opener)) {
            assertThat(wal.recoveryReport().drops()).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo("zero-filled tail");
                assertThat(d.bytes()).isEqualTo(8192);
                assertThat(d.records()).isZero();
            });
            List<ImmutableMessage> all = readAll(wal);
            assertThat(all).hasSize(4);
            assertThat(payload(all.get(3))).isEqualTo("payload-3");
        }
    }

    @Test
    void corruptionBeforeTheTailFailsTheOpenNamingFileAndPosition() throws IOException {
        FileConfig config = config(dir);
        write(config, 10);
        flipByte(segment(FIRST), positionOf(3) + SegmentFormat.FRAME_HEADER_BYTES + 5);
        try (FileOpener opener = opener(config, Storage.real())) {
            assertThatThrownBy(() -> reopen(opener)).isInstanceOfSatisfying(WALCorruptionException.class, e -> {
                assertThat(e.file()).isEqualTo(segment(FIRST).toString());
                assertThat(e.position()).isEqualTo(positionOf(3));
                assertThat(e.getMessage()).contains("checksum");
            });
            // The failed open released everything: a later open with the same policy fails the same way.
            assertThatThrownBy(() -> reopen(opener)).isInstanceOf(WALCorruptionException.class);
        }
    }

    @Test
    void garbageAfterTheLastRecordIsCorruptionNotATornWrite() throws IOException {
        FileConfig config = config(dir);
        write(config, 3);
        appendBytes(segment(FIRST), "this is not a frame at all, it is garbage".getBytes());
        try (FileOpener opener = opener(config, Storage.real())) {
            assertThatThrownBy(() -> reopen(opener)).isInstanceOfSatisfying(WALCorruptionException.class,
                    e -> assertThat(e.position()).isEqualTo(positionOf(3)));
        }
    }

    @Test
    void theQuarantinePolicyKeepsTheRecordsBeforeTheCorruptionAndCopiesTheRestAside() throws IOException {
        write(config(dir), 10);
        long size = Files.size(segment(FIRST));
        flipByte(segment(FIRST), positionOf(2) + SegmentFormat.FRAME_HEADER_BYTES + 1);
        byte[] bad = java.util.Arrays.copyOfRange(Files.readAllBytes(segment(FIRST)), (int) positionOf(2), (int) size);
        FileConfig config = config(dir, "corruption-policy", "truncate_and_quarantine");
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = reopen(opener)) {
            RecoveryReport.Drop cut = wal.recoveryReport().drops().get(0);
            assertThat(wal.recoveryReport().drops()).hasSize(1);
            assertThat(cut.position()).isEqualTo(positionOf(2));
            assertThat(cut.bytes()).isEqualTo(size - positionOf(2));
            assertThat(cut.reason()).contains("checksum");
            assertThat(Files.readAllBytes(Path.of(cut.quarantinedTo().orElseThrow()))).isEqualTo(bad);
            assertThat(ids(readAll(wal))).containsExactly(0L, 1L);
            assertThat(wal.append(message(2), Durability.DISK).join()).isEqualTo(FileMessageId.of(2));
        }
    }

    @Test
    void theQuarantinePolicyMovesEverySegmentAfterABrokenSealAside() throws IOException {
        write(config(dir, "segment-bytes", "1KiB"), 100);
        List<Path> before = LogRecovery.listSegments(dir.resolve("ch"));
        assertThat(before.size()).isGreaterThan(2);
        Path first = before.get(0);
        long footerAt = Files.size(first) - SegmentFormat.FOOTER_BYTES;
        flipByte(first, footerAt + 12);
        FileConfig config = config(dir, "segment-bytes", "1KiB", "corruption-policy", "TRUNCATE_AND_QUARANTINE");
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = reopen(opener)) {
            RecoveryReport report = wal.recoveryReport();
            assertThat(report.drops()).hasSize(before.size());
            assertThat(report.drops().get(0).position()).isEqualTo(footerAt);
            assertThat(report.drops()).allSatisfy(d -> assertThat(Path.of(d.quarantinedTo().orElseThrow()))
                    .exists());
            long kept = SegmentFormat.parseFileName(before.get(1).getFileName().toString());
            assertThat(report.recordsDropped()).as("records of the sealed segments moved aside")
                    .isEqualTo(100 - kept - (100 - SegmentFormat.parseFileName(
                            before.get(before.size() - 1).getFileName().toString())));
            assertThat(ids(readAll(wal))).containsExactlyElementsOf(LongStream.range(0, kept).boxed().toList());
            assertThat(LogRecovery.listSegments(dir.resolve("ch"))).containsExactly(first);
        }
    }

    @Test
    void sealedSegmentsAreTrustedFromTheirFooterWithoutReadingTheirRecords() {
        FileConfig config = config(dir, "segment-bytes", "1KiB");
        write(config, 120);
        List<Path> segments = LogRecovery.listSegmentsQuietly(dir.resolve("ch"));
        assertThat(segments.size()).isGreaterThan(3);
        FaultyStorage storage = new FaultyStorage();
        try (FileOpener opener = opener(config, storage); FileWAL wal = reopen(opener)) {
            RecoveryReport report = wal.recoveryReport();
            List<String> names = segments.stream().map(p -> p.getFileName().toString()).toList();
            assertThat(report.trustedSegments()).isEqualTo(names.subList(0, names.size() - 1));
            assertThat(report.scannedSegments()).containsExactly(names.get(names.size() - 1));
            for (String sealed : report.trustedSegments()) {
                assertThat(storage.readsOf(sealed)).as(sealed).isLessThanOrEqualTo(2);
            }
            assertThat(ids(readAll(wal))).containsExactlyElementsOf(LongStream.range(0, 120).boxed().toList());
        }
    }

    @Test
    void aBrokenFooterOnASealedSegmentIsCorruption() throws IOException {
        FileConfig config = config(dir, "segment-bytes", "1KiB");
        write(config, 30);
        Path first = LogRecovery.listSegments(dir.resolve("ch")).get(0);
        long footerAt = Files.size(first) - SegmentFormat.FOOTER_BYTES;
        flipByte(first, footerAt + 10);
        try (FileOpener opener = opener(config, Storage.real())) {
            assertThatThrownBy(() -> reopen(opener)).isInstanceOfSatisfying(WALCorruptionException.class, e -> {
                assertThat(e.file()).isEqualTo(first.toString());
                assertThat(e.position()).isEqualTo(footerAt);
                assertThat(e.getMessage()).contains("not sealed");
            });
        }
    }

    @Test
    void aLastSegmentWhoseHeaderNeverReachedTheDiskIsRemoved() throws IOException {
        FileConfig config = config(dir, "segment-bytes", "1KiB");
        write(config, 30);
        List<Path> segments = LogRecovery.listSegments(dir.resolve("ch"));
        assertThat(segments).hasSize(2);
        Path last = segments.get(1);
        long base = SegmentFormat.parseFileName(last.getFileName().toString());
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(ByteBuffer.allocate(10));
        }
        try (FileOpener opener = opener(config, Storage.real()); FileWAL wal = reopen(opener)) {
            assertThat(wal.recoveryReport().drops()).singleElement()
                    .satisfies(d -> assertThat(d.reason()).startsWith("torn segment header"));
            assertThat(ids(readAll(wal))).containsExactlyElementsOf(LongStream.range(0, base).boxed().toList());
            assertThat(wal.append(message(3), Durability.DISK).join()).isEqualTo(FileMessageId.of(base));
        }
    }

    @Test
    void aBadSegmentHeaderIsCorruptionAtPositionZero() throws IOException {
        FileConfig config = config(dir);
        write(config, 3);
        flipByte(segment(FIRST), 1);
        try (FileOpener opener = opener(config, Storage.real())) {
            assertThatThrownBy(() -> reopen(opener)).isInstanceOfSatisfying(WALCorruptionException.class, e -> {
                assertThat(e.position()).isZero();
                assertThat(e.getMessage()).contains("magic");
            });
        }
    }
}
