package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.ids;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by bytes and by age deletes whole sealed segments, oldest first, never the active one. */
class RetentionTest {

    @TempDir
    Path dir;

    private List<Path> segments() throws IOException {
        return LogRecovery.listSegments(dir.resolve("ch"));
    }

    private long bytesOnDisk() throws IOException {
        long total = 0;
        for (Path p : segments()) {
            total += Files.size(p);
        }
        return total;
    }

    @Test
    void withoutRetentionEverySegmentIsKept() throws IOException {
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB"), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 100; i++) {
                wal.append(message(i), Durability.OS).join();
            }
            assertThat(ids(readAll(wal))).first().isEqualTo(0L);
        }
    }

    @Test
    void retentionByBytesKeepsTheLogNearTheLimitAndTheNewestRecordsReadable() throws IOException {
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB", "retention-bytes", "4KiB"),
                Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 300; i++) {
                wal.append(message(i), Durability.OS).join();
            }
            assertThat(bytesOnDisk()).isLessThanOrEqualTo(4096 + 1024);
            List<Long> ids = ids(readAll(wal));
            assertThat(ids.get(0)).isGreaterThan(0L);
            assertThat(ids).last().isEqualTo(299L);
            assertThat(ids).isSorted().doesNotHaveDuplicates().hasSize((int) (299 - ids.get(0) + 1));
        }
    }

    @Test
    void retentionByAgeDeletesSegmentsSealedLongerAgoThanTheLimit() throws IOException {
        AtomicLong clock = new AtomicLong(1_000_000);
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB", "retention-age", "1h"),
                Storage.real(), clock);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 60; i++) {
                wal.append(message(i), Durability.OS).join();
            }
            List<Path> before = segments();
            assertThat(before.size()).isGreaterThan(2);
            clock.addAndGet(Duration.ofHours(2).toMillis());
            for (int i = 60; i < 200 && segments().contains(before.get(0)); i++) {
                wal.append(message(i), Durability.OS).join();
            }
            List<Path> after = segments();
            assertThat(after).as("segments sealed two hours ago are deleted")
                    .doesNotContainAnyElementsOf(before.subList(0, before.size() - 1))
                    .as("the segment active at the clock jump was sealed just now and is kept")
                    .contains(before.get(before.size() - 1));
            List<Long> ids = ids(readAll(wal));
            assertThat(ids.get(0)).isEqualTo(SegmentFormat.parseFileName(
                    before.get(before.size() - 1).getFileName().toString()));
            assertThat(ids).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void theActiveSegmentIsNeverDeletedEvenOverTheLimit() {
        Retention retention = new Retention(1, Duration.ZERO);
        assertThat(retention.isEnabled()).isTrue();
        assertThat(retention.segmentsToDrop(List.of(), 0)).isZero();
        assertThat(new Retention(0, Duration.ZERO).isEnabled()).isFalse();
    }
}
