package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.ids;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment rolling by size and age, and truncation by whole segments. */
class SegmentRollTest {

    @TempDir
    Path dir;

    private List<Path> segments() throws IOException {
        return LogRecovery.listSegments(dir.resolve("ch"));
    }

    private static SegmentFormat.Footer footerOf(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(SegmentFormat.FOOTER_BYTES);
            ch.read(b, ch.size() - SegmentFormat.FOOTER_BYTES);
            return SegmentFormat.parseFooter(b.flip());
        }
    }

    @Test
    void segmentsRollBySizeAndEverySealedOneCarriesAConsistentFooter() throws IOException {
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB"), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 100; i++) {
                wal.append(message(i), Durability.OS).join();
            }
            List<Path> files = segments();
            assertThat(files.size()).isGreaterThan(3);
            for (int i = 0; i < files.size() - 1; i++) {
                assertThat(Files.size(files.get(i))).isLessThanOrEqualTo(1024);
                SegmentFormat.Footer footer = footerOf(files.get(i));
                long base = SegmentFormat.parseFileName(files.get(i).getFileName().toString());
                long nextBase = SegmentFormat.parseFileName(files.get(i + 1).getFileName().toString());
                assertThat(footer).isNotNull();
                assertThat(footer.lastId()).isEqualTo(nextBase - 1);
                assertThat(footer.count()).isEqualTo(nextBase - base);
            }
            assertThat(footerOf(files.get(files.size() - 1))).as("the active segment is not sealed").isNull();
            assertThat(ids(readAll(wal))).containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
        }
    }

    @Test
    void aSegmentRollsOnceItsFirstRecordIsOlderThanTheSegmentAge() throws IOException {
        AtomicLong clock = new AtomicLong(1_000_000);
        try (FileOpener opener = opener(config(dir, "segment-age", "1m"), Storage.real(), clock);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 3; i++) {
                wal.append(message(i), Durability.DISK).join();
                clock.addAndGet(10_000);
            }
            assertThat(segments()).hasSize(1);
            clock.addAndGet(Duration.ofMinutes(1).toMillis());
            wal.append(message(3), Durability.DISK).join();
            assertThat(segments()).hasSize(2);
            assertThat(footerOf(segments().get(0)).count()).isEqualTo(3);
            assertThat(segments().get(1).getFileName().toString()).isEqualTo(SegmentFormat.fileName(3));
            clock.addAndGet(Duration.ofSeconds(59).toMillis());
            wal.append(message(4), Durability.DISK).join();
            assertThat(segments()).hasSize(2);
        }
    }

    @Test
    void truncateDropsWholeSealedSegmentsUpToTheIdAndIdsSurviveReopen() throws IOException {
        FileConfig config = config(dir, "segment-bytes", "1KiB");
        long firstKept;
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 100; i++) {
                wal.append(message(i), Durability.OS).join();
            }
            List<Path> before = segments();
            wal.truncate(FileMessageId.of(50)).join();
            List<Path> after = segments();
            firstKept = SegmentFormat.parseFileName(after.get(0).getFileName().toString());
            assertThat(firstKept).isLessThanOrEqualTo(51).isGreaterThan(0);
            assertThat(after).isEqualTo(before.subList(before.size() - after.size(), before.size()));
            assertThat(ids(readAll(wal))).containsExactlyElementsOf(LongStream.range(firstKept, 100).boxed().toList());
        }
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThat(wal.append(message(100), Durability.DISK).join()).isEqualTo(FileMessageId.of(100));
            assertThat(ids(readAll(wal))).first().isEqualTo(firstKept);
            wal.truncate(FileMessageId.of(1000)).join();
            assertThat(segments()).hasSize(1);
            assertThat(wal.append(message(101), Durability.DISK).join()).isEqualTo(FileMessageId.of(101));
        }
    }

    @Test
    void aScannerInsideATruncatedSegmentResumesAtTheFirstRetainedRecord() throws IOException {
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB"), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 100; i++) {
                wal.append(message(i), Durability.OS).join();
            }
            try (ScannerImpls scanner = wal.read(new ReadOptionImpls("s", DeliverPolicy.all(), 1))) {
                assertThat(scanner.poll(Duration.ZERO).id()).isEqualTo(FileMessageId.of(0));
                wal.truncate(FileMessageId.of(60)).join();
                long firstKept = SegmentFormat.parseFileName(segments().get(0).getFileName().toString());
                ImmutableMessage next = scanner.poll(Duration.ZERO);
                assertThat(next.id()).isEqualTo(FileMessageId.of(firstKept));
            }
        }
    }
}
