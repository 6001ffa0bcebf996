package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.cli.CliTestUtils.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BenchCommandTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "file"})
    void benchPrintsATableWithAnAppendAndATailRow(String backend) {
        Run run = wal("bench", "--backend", backend, "--messages", "2000", "--threads", "3", "--payload-bytes", "64",
                "--durability", backend.equals("file") ? "OS" : "MEMORY");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("wal bench: backend " + backend).endsWith(
                "2000 messages of 64 B from 3 threads");
        assertThat(lines.get(1)).matches(
                "phase\\s+messages\\s+seconds\\s+msgs/s\\s+MB/s\\s+p50 ms\\s+p99 ms\\s+max ms");
        assertThat(lines.get(2)).matches(
                "append\\s+2000\\s+[\\d.]+\\s+\\d+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+");
        assertThat(lines.get(3)).matches("tail\\s+2000\\s+[\\d.]+\\s+\\d+\\s+[\\d.]+\\s+-\\s+-\\s+-");
        assertThat(CliTestUtils.liveThreads("wal4j-bench-")).isEmpty();
    }

    @Test
    void benchInAGivenDirectoryLeavesTheChannelThere(@TempDir Path dir) {
        Run run = wal("bench", "--dir", dir.toString(), "--messages", "500", "--channel", "b");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(dir.resolve("b")).isDirectory();
        assertThat(wal("verify", "--dir", dir.toString(), "--channel", "b").exitCode()).isZero();
    }

    @ParameterizedTest(name = "wal bench {0} -> exit 2: {1}")
    @CsvSource(delimiter = '|', value = {
        "--messages 0                 | --messages must be between 1 and 20000000, got 0",
        "--threads 0                  | --threads must be between 1 and 1024, got 0",
        "--backend nope               | unknown backend \"nope\"",
        "--dir /no/such/dir/for/bench | --dir /no/such/dir/for/bench does not exist",
        "--backend memory --durability DISK | backend memory supports durability"})
    void badUsageExitsWithTwo(String args, String expected) {
        Run run = wal(("bench " + args.trim()).split("\\s+"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(expected, "Usage: wal bench");
    }

    @Test
    void helpHasExamples() {
        Run run = wal("bench", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--messages", "default: 20000", "not a benchmark harness", "Examples:",
                "wal bench --messages 200000");
    }
}
