package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.OpenOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins format version 1: the checked-in files still read, and the writer still writes them byte for byte. */
class GoldenFilesTest {

    @TempDir
    Path dir;

    private Path golden(String variant) throws URISyntaxException {
        return Path.of(getClass().getResource("/golden/v1/" + variant + "/" + GoldenFiles.CHANNEL).toURI());
    }

    private Path copy(String variant) throws IOException, URISyntaxException {
        Path target = dir.resolve(GoldenFiles.CHANNEL);
        Files.createDirectories(target);
        for (Path f : GoldenFiles.formatFiles(golden(variant))) {
            Files.copy(f, target.resolve(f.getFileName()));
        }
        return target;
    }

    private static void assertIsTheFixedInput(List<ImmutableMessage> read, int count) {
        assertThat(read).hasSize(count);
        for (int i = 0; i < count; i++) {
            MutableMessage expected = GoldenFiles.message(i);
            assertThat(read.get(i).id()).isEqualTo(FileMessageId.of(i));
            assertThat(read.get(i).payload()).isEqualTo(expected.payload());
            assertThat(read.get(i).properties()).isEqualTo(expected.properties());
        }
    }

    @Test
    void theIntactVersion1FilesOpenCleanlyTrustingTheSealedSegments() throws Exception {
        copy("intact");
        try (FileOpener opener = FileTestUtils.opener(GoldenFiles.config(dir), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite(GoldenFiles.CHANNEL, GoldenFiles.TERM))) {
            RecoveryReport report = wal.recoveryReport();
            assertThat(report.isClean()).isTrue();
            assertThat(report.trustedSegments()).hasSize(2);
            assertThat(report.scannedSegments()).hasSize(1);
            assertIsTheFixedInput(readAll(wal), GoldenFiles.COUNT);
        }
    }

    @Test
    void theTornVersion1FilesLoseOnlyTheTornRecordAndReportIt() throws Exception {
        Path channel = copy("torn");
        Path last = GoldenFiles.lastSegment(GoldenFiles.formatFiles(channel));
        long tornAt = Files.size(GoldenFiles.lastSegment(GoldenFiles.formatFiles(golden("intact"))))
                - SegmentFormat.encodeFrame(GoldenFiles.message(GoldenFiles.COUNT - 1)).length;
        try (FileOpener opener = FileTestUtils.opener(GoldenFiles.config(dir), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite(GoldenFiles.CHANNEL, GoldenFiles.TERM))) {
            assertThat(wal.recoveryReport().drops()).singleElement().satisfies(d -> {
                assertThat(d.file()).isEqualTo(last.getFileName().toString());
                assertThat(d.position()).isEqualTo(tornAt);
                assertThat(d.reason()).isEqualTo("incomplete record");
            });
            assertIsTheFixedInput(readAll(wal), GoldenFiles.COUNT - 1);
        }
        assertThat(Files.size(last)).isEqualTo(tornAt);
    }

    @Test
    void aReadOnlyWALReadsTheGoldenFilesWithoutChangingThem() throws Exception {
        Path channel = copy("torn");
        byte[] before = Files.readAllBytes(GoldenFiles.lastSegment(GoldenFiles.formatFiles(channel)));
        try (FileOpener opener = FileTestUtils.opener(GoldenFiles.config(dir), Storage.real());
             var wal = opener.openReadOnly(OpenOption.readOnly(GoldenFiles.CHANNEL, GoldenFiles.TERM))) {
            assertIsTheFixedInput(readAll(wal), GoldenFiles.COUNT - 1);
        }
        assertThat(Files.readAllBytes(GoldenFiles.lastSegment(GoldenFiles.formatFiles(channel)))).isEqualTo(before);
    }

    @Test
    void theWriterStillProducesTheGoldenBytesForTheFixedInput() throws Exception {
        GoldenFiles.write(dir);
        List<Path> written = GoldenFiles.formatFiles(dir.resolve(GoldenFiles.CHANNEL));
        List<Path> expected = GoldenFiles.formatFiles(golden("intact"));
        assertThat(written.stream().map(p -> p.getFileName().toString()))
                .containsExactlyElementsOf(expected.stream().map(p -> p.getFileName().toString()).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Files.readAllBytes(written.get(i))).as(written.get(i).getFileName().toString())
                    .isEqualTo(Files.readAllBytes(expected.get(i)));
        }
    }
}
