package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static io.wal4j.cli.CliTestUtils.walWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.cli.CliTestUtils.Run;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeMessages() {
        String lines = IntStream.range(0, 100).mapToObj(i -> "message " + i).collect(Collectors.joining("\n"));
        Run run = walWithInput(lines, "append", "--dir", dir.toString(), "--channel", "c", "--term", "4",
                "--config", "wal.file.segment-bytes=1KiB", "--durability", "OS");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private Path lastSegment() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("c"))) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void statsPrintsTermSegmentsRecordsRangesAndACleanRecovery() throws IOException {
        long segments;
        try (Stream<Path> files = Files.list(dir.resolve("c"))) {
            segments = files.filter(p -> p.toString().endsWith(".seg")).count();
        }

        Run run = wal("stats", "--dir", dir.toString(), "--channel", "c");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("channel:     c in " + dir, "term:        4",
                "segments:    " + segments + " (" + (segments - 1) + " sealed)", "Data=100", "TimeTick=")
                .containsPattern("ids:         file:0 \\.\\. file:\\d+")
                .containsPattern("time ticks:  \\d+ \\.\\. \\d+")
                .contains("created:     first segment 20", "next recovery: clean (nothing to cut)");
    }

    @Test
    void aTornTailIsPredictedAndRecoverRunsTheRecoveryAndPrintsItsReport() throws IOException {
        Path last = lastSegment();
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3);
        }

        Run predicted = wal("stats", "--dir", dir.toString(), "--channel", "c");
        Run recovered = wal("stats", "--dir", dir.toString(), "--channel", "c", "--recover", "--term", "4");
        Run after = wal("stats", "--dir", dir.toString(), "--channel", "c");

        assertThat(predicted.out()).contains("next recovery: cuts the torn tail: " + last, "incomplete record");
        assertThat(recovered.exitCode()).as(recovered.err()).isZero();
        assertThat(recovered.out()).contains("recovery (just run, at term 4): dropped", "1 records",
                "dropped", "of " + last.getFileName() + " at position", ": incomplete record");
        assertThat(after.out()).contains("next recovery: clean");
    }

    @Test
    void recoverAtALowerTermIsRefusedAsFenced() {
        Run run = wal("stats", "--dir", dir.toString(), "--channel", "c", "--recover");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("wal stats:", "pass it with --term");
    }

    @Test
    void corruptionIsWhereTheNextRecoveryStops() throws IOException {
        Path first = dir.resolve("c").resolve("00000000000000000000.seg");
        byte[] bytes = Files.readAllBytes(first);
        bytes[50] ^= 1;
        Files.write(first, bytes);

        Run run = wal("stats", "--dir", dir.toString(), "--channel", "c");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("next recovery: FAILS at corruption: " + first + " at position 32");
    }

    @Test
    void badUsageAndHelp() {
        assertThat(wal("stats", "--backend", "memory", "--channel", "c").exitCode()).isEqualTo(2);
        Run missing = wal("stats", "--dir", dir.toString(), "--channel", "zz");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no channel \"zz\"");
        Run help = wal("stats", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--recover", "Recovery reports are not stored", "Examples:",
                "wal stats --dir /tmp/wal --channel orders");
    }
}
