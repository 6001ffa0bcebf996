package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wal4j.cli.CliTestUtils.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DemoCommandTest {

    @Test
    void demoOnMemorySucceedsAndPrintsTheSummary() {
        Run run = wal("demo", "--backend", "memory", "--messages", "3000", "--threads", "3", "--payload-bytes", "64",
                "--max-in-flight", "16");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("backend memory, channel demo, data in memory")
                .contains("appended 3000 of 3000 messages (64 B payload) from 3 threads")
                .contains("appends/s", "MB/s", "durability MEMORY")
                .contains("tailed 3000 messages", "tail lag")
                .contains("OK: the scanner saw every acknowledged message exactly once, in strictly increasing time-tick order");
    }

    @Test
    void demoRunsOnTheFileBackendByDefaultAndWithTempInATemporaryDirectoryItDeletesAfterwards() {
        Run run = wal("demo", "--temp", "--messages", "2000", "--threads", "2", "--channel", "default-backend");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher where = Pattern.compile("backend file, channel default-backend, data in (\\S+) \\(temporary")
                .matcher(run.out());
        assertThat(where.find()).as(run.out()).isTrue();
        assertThat(Path.of(where.group(1))).doesNotExist();
        assertThat(run.out()).contains("appended 2000 of 2000 messages", "durability DISK", "OK:");
    }

    @Test
    void aSecondRunInTheSameDirectoryReadsTheFirstRunsMessagesAndChecksOnlyItsOwn(@TempDir Path dir) {
        String[] args = {"demo", "--backend", "file", "--dir", dir.toString(), "--messages", "1500", "--threads", "3"};
        Run first = wal(args);
        Run second = wal(args);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("data in " + dir, "tailed 1500 messages",
                "also read 1500 messages of earlier runs");
        assertThat(dir.resolve("demo")).isDirectory();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "file"})
    void demoLeavesNoWal4jThreadBehind(String backend) {
        Run run = wal("demo", "--temp", "--backend", backend, "--messages", "500", "--threads", "4", "--channel", "threads");

        assertThat(run.exitCode()).isZero();
        // The demo's pool has terminated when it returns (a worker thread may still be exiting), and the WAL's
        // threads finish as their executors wind down.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(CliTestUtils.liveThreads("wal4j-"))
                .isEmpty());
    }

    @Test
    void demoWithMoreThreadsThanMessagesStillAppendsEachMessageOnce() {
        Run run = wal("demo", "--backend", "memory", "--messages", "3", "--threads", "8", "--payload-bytes", "0");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("appended 3 of 3 messages (0 B payload) from 8 threads", "tailed 3 messages");
    }

    @Test
    void demoHelpShowsTheDefaultsAndAnExample() {
        Run run = wal("demo", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--messages", "default: 100000", "--threads", "default: 4",
                "--payload-bytes", "default: 128", "--channel", "default: demo", "--durability", "--dir",
                "Examples:", "wal demo --messages");
    }

    @ParameterizedTest(name = "wal demo {0} -> exit 2: {1}")
    @CsvSource(delimiter = '|', value = {
        "--messages 0                     | --messages must be between 1 and 20000000, got 0",
        "--messages 20000001              | --messages must be between 1 and 20000000, got 20000001",
        "--messages lots                  | lots",
        "--threads 0                      | --threads must be between 1 and 1024, got 0",
        "--threads 5000                   | --threads must be between 1 and 1024, got 5000",
        "--payload-bytes -1               | --payload-bytes must be between 0 and 16777216, got -1",
        "--max-in-flight 0                | --max-in-flight must be >= 1, got 0",
        "--channel ../etc                 | invalid channel name \"../etc\"",
        "--backend no-such-backend        | unknown backend \"no-such-backend\"",
        "--backend memory --dir somewhere | --dir applies to the file backend only, not to memory",
        "--backend memory --durability DISK | backend memory supports durability",
        "--durability SOMETIMES           | SOMETIMES",
        "--frobnicate                     | --frobnicate"})
    void badOptionsExitWithUsageErrorAndAClearMessage(String args, String expected) {
        String[] argv = ("demo " + args.trim()).split("\\s+");

        Run run = wal(argv);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(expected).contains("Usage: wal demo");
        assertThat(run.out()).doesNotContain("appended");
    }

    @Test
    void withoutDirOrTempTheDemoKeepsItsDataInWalData() {
        DemoCommand demo = new DemoCommand();
        new picocli.CommandLine(demo).parseArgs("--messages", "10");
        assertThat(demo.settings().dir()).contains(DemoCommand.DEFAULT_DIR);
        DemoCommand temp = new DemoCommand();
        new picocli.CommandLine(temp).parseArgs("--temp");
        assertThat(temp.settings().dir()).isEmpty();
    }

    @Test
    void dirAndTempTogetherAreAUsageError() {
        Run run = wal("demo", "--temp", "--dir", "x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--dir and --temp exclude each other");
    }
}
