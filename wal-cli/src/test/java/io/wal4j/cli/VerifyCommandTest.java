package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static io.wal4j.cli.CliTestUtils.walWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.cli.CliTestUtils.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    /** Where the first record's frame starts in a segment: after the 32-byte segment header. */
    private static final long FIRST_FRAME = 32;

    @TempDir
    Path dir;

    /** Appends 200 messages in segments of 1 KiB, so most are sealed. */
    private void writeManySegments() {
        String lines = IntStream.range(0, 200).mapToObj(i -> "message number " + i).collect(Collectors.joining("\n"));
        Run run = walWithInput(lines, "append", "--dir", dir.toString(), "--channel", "c", "--config",
                "wal.file.segment-bytes=1KiB", "--durability", "OS");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("c"))) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) position] ^= 0x10;
        Files.write(file, bytes);
    }

    private Run verify(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("verify", "--dir", dir.toString(), "--channel", "c"));
        args.addAll(List.of(extra));
        return wal(args.toArray(String[]::new));
    }

    @Test
    void aCleanChannelVerifiesWithExitZero() throws IOException {
        writeManySegments();

        Run run = verify("--verbose");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(segments().size()).isGreaterThan(5);
        assertThat(run.out()).contains("OK: channel c: " + segments().size() + " segments", "no corruption")
                .contains("00000000000000000000.seg", "sealed  ok");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aByteFlippedInASealedSegmentIsFoundWithExitOneNamingTheFileAndPosition() throws IOException {
        writeManySegments();
        Path victim = segments().get(2);
        flipByte(victim, FIRST_FRAME + 12 + 3);

        Run run = verify();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("CORRUPT: " + victim + " at position " + FIRST_FRAME
                + ": record checksum mismatch").contains("FAILED: 1 corruption found in channel c");
    }

    @Test
    void aFlippedFooterByteIsFoundToo() throws IOException {
        writeManySegments();
        Path victim = segments().get(0);
        long size = Files.size(victim);
        flipByte(victim, size - 8);

        Run run = verify();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("CORRUPT: " + victim + " at position " + (size - 32));
    }

    @Test
    void aTornTailIsReportedButIsNotCorruption() throws IOException {
        writeManySegments();
        Path last = segments().get(segments().size() - 1);
        try (var channel = java.nio.channels.FileChannel.open(last, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 2);
        }

        Run run = verify();

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("note: torn tail in " + last, "incomplete record", "OK:");
    }

    @Test
    void progressIsDrawnOnTheErrorStreamWhenAsked() {
        writeManySegments();

        Run run = verify("--progress");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("\rverifying [", "segment 1/", "100%");
    }

    @Test
    void aMissingChannelFailsWithExitOne() {
        writeManySegments();

        Run run = wal("verify", "--dir", dir.toString(), "--channel", "other");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("wal verify: no channel \"other\" in " + dir);
    }

    @Test
    void theMemoryBackendHasNothingToVerify() {
        Run run = wal("verify", "--backend", "memory", "--channel", "c");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("wal verify checks the segments of the file backend; backend memory keeps "
                + "none");
    }

    @Test
    void helpHasAnExample() {
        Run run = wal("verify", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Exit status: 0 no corruption, 1 corruption found", "--[no-]progress",
                "Examples:", "wal verify --dir /tmp/wal --channel orders");
    }
}
