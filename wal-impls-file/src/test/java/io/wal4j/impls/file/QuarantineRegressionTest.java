package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: ids resume at a quarantined position, so a second incident at the same place used to write over the
 * first incident's {@code .bad} copy in place (leaving stale bytes past the new copy's end) and to replace the first
 * {@code .quarantined} segment. Each incident must keep its own exact copy.
 */
class QuarantineRegressionTest {

    @TempDir
    Path dir;

    private FileOpener quarantiningOpener(String... more) {
        String[] keyValues = new String[more.length + 2];
        keyValues[0] = "corruption-policy";
        keyValues[1] = "TRUNCATE_AND_QUARANTINE";
        System.arraycopy(more, 0, keyValues, 2, more.length);
        return new FileOpener(config(dir, keyValues), Storage.real(), System::currentTimeMillis);
    }

    private void append(FileOpener opener, int from, int to) {
        try (FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = from; i < to; i++) {
                wal.append(message(i), Durability.DISK).join();
            }
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0xff);
        }
    }

    private RecoveryReport.Drop reopenAndGetTheDrop(FileOpener opener) {
        try (FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            List<RecoveryReport.Drop> drops = wal.recoveryReport().drops();
            assertThat(drops).hasSize(1);
            return drops.get(0);
        }
    }

    @Test
    void aSecondCutAtTheSamePlaceKeepsBothQuarantineCopiesExact() throws IOException {
        try (FileOpener opener = quarantiningOpener()) {
            append(opener, 0, 10);
        }
        Path segment = LogRecovery.listSegments(dir.resolve("ch")).get(0);
        long middle = Files.size(segment) / 2;
        flipByte(segment, middle);
        RecoveryReport.Drop first;
        try (FileOpener opener = quarantiningOpener()) {
            first = reopenAndGetTheDrop(opener);
            append(opener, 100, 102);
        }
        flipByte(segment, middle);
        RecoveryReport.Drop second;
        try (FileOpener opener = quarantiningOpener()) {
            second = reopenAndGetTheDrop(opener);
        }
        Path firstCopy = Path.of(first.quarantinedTo().orElseThrow());
        Path secondCopy = Path.of(second.quarantinedTo().orElseThrow());
        assertThat(secondCopy).isNotEqualTo(firstCopy);
        assertThat(Files.size(firstCopy)).isEqualTo(first.bytes());
        assertThat(Files.size(secondCopy)).isEqualTo(second.bytes());
    }

    @Test
    void aSegmentQuarantinedTwiceUnderTheSameNameKeepsBothFiles() throws IOException {
        for (int incident = 0; incident < 2; incident++) {
            try (FileOpener opener = quarantiningOpener("segment-bytes", "1KiB")) {
                // The second incident writes less than a segment: ids resume at the quarantined segment's base, so
                // its last segment has the same name as the one quarantined the first time.
                append(opener, incident * 100, incident * 100 + (incident == 0 ? 60 : 5));
            }
            List<Path> segments = LogRecovery.listSegments(dir.resolve("ch"));
            Path last = segments.get(segments.size() - 1);
            flipByte(last, 0); // a bad magic: the whole last segment is junk and goes to quarantine
            try (FileOpener opener = quarantiningOpener("segment-bytes", "1KiB")) {
                assertThat(reopenAndGetTheDrop(opener).reason()).contains("quarantined");
            }
        }
        try (var files = Files.list(dir.resolve("ch").resolve("quarantine"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).as("both incidents keep their copy").hasSize(2);
            assertThat(names.get(1)).isEqualTo(names.get(0) + ".1");
        }
    }
}
