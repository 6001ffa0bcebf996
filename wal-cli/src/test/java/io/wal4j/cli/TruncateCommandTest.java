package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static io.wal4j.cli.CliTestUtils.walWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.cli.CliTestUtils.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncateCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeManySegments() {
        String lines = IntStream.range(0, 200).mapToObj(i -> "m" + i).collect(Collectors.joining("\n"));
        Run run = walWithInput(lines, "append", "--dir", dir.toString(), "--channel", "c", "--config",
                "wal.file.segment-bytes=1KiB", "--durability", "OS");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private String idOf(String payload) {
        return wal("tail", "--dir", dir.toString(), "--channel", "c", "--idle", "300ms").out().lines()
                .filter(l -> l.endsWith("\t" + payload)).findFirst().orElseThrow().split("\t")[0];
    }

    @Test
    void truncateDropsWholeSegmentsUpToTheIdAndKeepsWhatFollows() {
        String id = idOf("m150");

        Run run = wal("truncate", "--dir", dir.toString(), "--channel", "c", "--up-to", id);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("truncated c up to " + id + ": deleted [1-9]\\d* of \\d+ segments");
        List<String> left = CliTestUtils.readAll(dir, "c").stream()
                .map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
        assertThat(left).contains("m151", "m199").doesNotContain("m0", "m100");
        assertThat(left.subList(left.indexOf("m151"), left.size()))
                .containsExactlyElementsOf(IntStream.range(151, 200).mapToObj(i -> "m" + i).toList());
        assertThat(wal("verify", "--dir", dir.toString(), "--channel", "c").exitCode()).isZero();
    }

    @Test
    void aChannelLockedByAnotherProcessIsNotTruncated() throws Exception {
        Process holder = HoldLock.start(dir.resolve("c"));
        try {
            Run run = wal("truncate", "--dir", dir.toString(), "--channel", "c", "--up-to", "file:100");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("wal truncate: channel is locked:");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        assertThat(CliTestUtils.readAll(dir, "c")).hasSize(200);
    }

    @Test
    void badIdsAndMissingOptionsAreUsageErrors() {
        Run noId = wal("truncate", "--dir", dir.toString(), "--channel", "c");
        Run badId = wal("truncate", "--dir", dir.toString(), "--channel", "c", "--up-to", "memory:4");
        Run help = wal("truncate", "--help");

        assertThat(noId.exitCode()).isEqualTo(2);
        assertThat(noId.err()).contains("Missing required option: '--up-to=ID'");
        assertThat(badId.exitCode()).isEqualTo(2);
        assertThat(badId.err()).contains("--up-to: \"memory:4\" is not a message id of backend file");
        assertThat(help.out()).contains("advisory", "Examples:", "wal truncate --dir /tmp/wal --channel orders");
    }
}
