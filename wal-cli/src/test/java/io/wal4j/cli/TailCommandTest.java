package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static io.wal4j.cli.CliTestUtils.walWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.cli.CliTestUtils.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TailCommandTest {

    @TempDir
    Path dir;

    private String[] args(String... extra) {
        String[] common = {"tail", "--dir", dir.toString(), "--channel", "c", "--idle", "300ms"};
        String[] all = new String[common.length + extra.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(extra, 0, all, common.length, extra.length);
        return all;
    }

    private void append(String lines, String... extra) {
        String[] base = {"append", "--dir", dir.toString(), "--channel", "c"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        Run run = walWithInput(lines, all);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private static List<String> lines(Run run) {
        return run.out().lines().toList();
    }

    @Test
    void withoutFollowItPrintsEveryMessageWithItsIdAndStopsWhenIdle() {
        append("one\ntwo\tTAB\nthree\n");

        Run run = wal(args());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(lines(run)).hasSize(3);
        assertThat(lines(run).get(0)).matches("file:\\d+\tone");
        assertThat(lines(run).get(1)).matches("file:\\d+\ttwo\\\\tTAB");
        assertThat(lines(run).get(2)).endsWith("\tthree");
    }

    @Test
    void fromAnIdAsPrintedStartsThereAndPayloadOnlyDropsTheIds() {
        append("a\nb\nc\n");
        String second = lines(wal(args())).get(1).split("\t")[0];

        Run run = wal(args("--from", second, "--payload-only"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(lines(run)).containsExactly("b", "c");
    }

    @Test
    void maxMessagesAndVchannelFilter() {
        append("x1\nx2\n", "--vchannel", "x");
        append("y1\n", "--vchannel", "y");

        assertThat(lines(wal(args("--payload-only", "--vchannel", "y")))).containsExactly("y1");
        assertThat(lines(wal(args("--payload-only", "-n", "1")))).containsExactly("x1");
    }

    @Test
    void systemShowsTheWalsOwnMessagesToo() {
        append("data\n");

        Run withSystem = wal(args("--system"));

        assertThat(lines(withSystem).size()).isGreaterThan(lines(wal(args())).size());
    }

    @Test
    void followPrintsMessagesAppendedWhileItRunsAndStopsAtMaxMessages() throws Exception {
        append("before\n");
        CompletableFuture<Run> tail = CompletableFuture.supplyAsync(() -> wal(args("-f", "-n", "3",
                "--payload-only")));
        append("after-1\nafter-2\n");

        Run run = tail.get(30, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(lines(run)).containsExactly("before", "after-1", "after-2");
    }

    @Test
    void followFromLatestSkipsWhatWasThere() throws Exception {
        append("old\n");
        CompletableFuture<Run> tail = CompletableFuture.supplyAsync(() -> wal(args("-f", "--from", "latest", "-n",
                "1", "--payload-only")));
        // The tail may open its scanner after any of these appends: keep appending until it has printed one.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    append("new\n");
                    return tail.isDone();
                });

        Run run = tail.get();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(lines(run)).containsExactly("new");
    }

    @Test
    void anInterruptEndsFollowingWithExitZeroLikeCtrlC() throws Exception {
        append("first\n");
        CompletableFuture<Void> printed = new CompletableFuture<>();
        java.io.StringWriter text = new java.io.StringWriter() {
            @Override
            public void flush() {
                // The command flushes after each line it prints.
                if (toString().contains("\n")) {
                    printed.complete(null);
                }
            }
        };
        picocli.CommandLine cmd = WalCommand.newCommandLine();
        cmd.setOut(new java.io.PrintWriter(text, true));
        cmd.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
        CompletableFuture<Integer> tail = new CompletableFuture<>();
        // Its own thread, not a pool's: the interrupt must not leak into other work.
        Thread runner = new Thread(() -> tail.complete(cmd.execute(args("-f", "--payload-only"))), "tail-under-test");
        runner.start();
        printed.get(20, TimeUnit.SECONDS);
        assertThat(tail).isNotDone();

        runner.interrupt();

        assertThat(tail.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(text.toString()).isEqualTo("first" + System.lineSeparator());
    }

    @Test
    void aMissingChannelFailsWithExitOneListingTheChannelsThere() {
        append("x\n");

        Run run = wal("tail", "--dir", dir.toString(), "--channel", "nope");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("wal tail: no channel \"nope\" in " + dir + "; channels there: [c]");
    }

    @ParameterizedTest(name = "wal tail {0} -> exit 2: {1}")
    @CsvSource(delimiter = '|', value = {
        "--from somewhere       | --from must be all, latest or a message id as printed by the tool",
        "--from memory:3        | --from must be all, latest or a message id",
        "--from file:xyz!       | got \"file:xyz!\"",
        "--idle soon            | --idle must be a duration such as 250ms, 2s or 1m, got \"soon\"",
        "-n 0                   | --max-messages must be >= 1, got 0",
        "--bogus                | Unknown option: '--bogus'"})
    void badUsageExitsWithTwo(String extra, String expected) {
        append("x\n");
        String[] argv = ("tail --dir " + dir + " --channel c " + extra.trim()).split("\\s+");

        Run run = wal(argv);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(expected).contains("Usage: wal tail");
    }

    @Test
    void helpExplainsWhereItStopsAndHasExamples() {
        Run run = wal("tail", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--follow", "--from", "--idle", "Ctrl-C", "no message has arrived for",
                "Examples:", "wal tail --dir /tmp/wal --channel orders -f");
    }
}
