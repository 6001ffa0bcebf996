package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static io.wal4j.cli.CliTestUtils.walWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.cli.CliTestUtils.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppendCommandTest {

    @TempDir
    Path dir;

    @Test
    void eachLineOfStandardInputBecomesOneMessageWithThePropertiesAndVchannel() {
        Run run = walWithInput("first\n\nsecond\nthird\n", "append", "--dir", dir.toString(), "--channel", "orders",
                "--property", "source=test", "-p", "n=1", "--vchannel", "v7");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        // The WAL interleaves its own time-tick messages, so ids are increasing but not consecutive.
        assertThat(run.out()).containsPattern("appended 3 messages to orders: ids file:\\d+ \\.\\. file:\\d+ "
                + "\\(durability DISK\\)");
        List<ImmutableMessage> messages = CliTestUtils.readAll(dir, "orders");
        assertThat(messages).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("first", "second", "third");
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.property("source")).isEqualTo("test");
            assertThat(m.property("n")).isEqualTo("1");
            assertThat(m.vchannel()).isEqualTo("v7");
        });
    }

    @Test
    void filesAreReadLineByLineOrWholeAndIdsContinueAcrossRuns() throws IOException {
        Path lines = Files.writeString(dir.resolve("lines.txt"), "a\nb\n");
        Path blob = Files.write(dir.resolve("blob.bin"), new byte[] {0, 1, 2, '\n', 3});

        Run first = wal("append", "--dir", dir.toString(), "--channel", "c", lines.toString());
        Run second = wal("append", "--dir", dir.toString(), "--channel", "c", "--whole-file", blob.toString(),
                "--durability", "os");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).containsPattern("appended 2 messages to c: ids file:\\d+ \\.\\. file:\\d+");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).containsPattern(
                "appended 1 message to c: ids (file:\\d+) \\.\\. \\1 \\(durability OS\\)");
        List<ImmutableMessage> messages = CliTestUtils.readAll(dir, "c");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(2).payload()).containsExactly(0, 1, 2, '\n', 3);
    }

    @Test
    void emptyInputAppendsNothingAndSucceeds() {
        Run run = walWithInput("", "append", "--dir", dir.toString(), "--channel", "empty");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("appended 0 messages to empty");
    }

    @Test
    void aChannelLockedByAnotherProcessFailsWithExitOneAndSaysSo() throws Exception {
        Process holder = HoldLock.start(dir.resolve("busy"));
        try {
            Run run = walWithInput("x\n", "append", "--dir", dir.toString(), "--channel", "busy");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("wal append: channel is locked:", "another process",
                    dir.resolve("busy").resolve("lock").toString(), "stop the process writing it");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
    }

    @Test
    void aCorruptSegmentFailsTheOpenWithExitOneNamingTheFile() throws IOException {
        wal("append", "--dir", dir.toString(), "--channel", "bad", Files.writeString(dir.resolve("in"), "x\ny\n")
                .toString());
        Path segment = dir.resolve("bad").resolve("00000000000000000000.seg");
        // A wrong header checksum: the segment cannot be trusted, so opening it for writing refuses.
        byte[] bytes = Files.readAllBytes(segment);
        bytes[29] ^= 0x40;
        Files.write(segment, bytes);
        Files.write(dir.resolve("bad").resolve("00000000000000000002.seg"), new byte[64]);

        Run run = walWithInput("z\n", "append", "--dir", dir.toString(), "--channel", "bad");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("wal append: corrupt segment " + segment, "run 'wal verify'");
    }

    @ParameterizedTest(name = "wal append {0} -> exit 2: {1}")
    @CsvSource(delimiter = '|', value = {
        "--channel c                         | the file backend needs --dir DIR",
        "--dir @/missing --channel c         | --dir @/missing does not exist (create it first",
        "--dir @ --channel ../x              | invalid channel name \"../x\"",
        "--dir @                             | Missing required option: '--channel=NAME'",
        "--dir @ --channel c --term 0        | --term must be >= 1, got 0",
        "--dir @ --channel c -p _tt=5        | invalid --property key \"_tt\"",
        "--dir @ --channel c --vchannel=     | --vchannel must not be empty",
        "--dir @ --channel c --whole-file    | --whole-file needs FILE arguments",
        "--dir @ --channel c @/nope.txt      | cannot read FILE @/nope.txt: no such file",
        "--dir @ --channel c --durability MEMORY | backend file supports durability",
        "--backend nope --channel c          | unknown backend \"nope\"",
        "--dir @ --channel c --config foo=1  | --config key \"foo\" is not a wal4j key",
        "--dir @ --channel c --config wal.file.nope=1 | unknown configuration key wal.file.nope",
        "--dir @ --channel c --config wal.file.dir=x  | give the directory with --dir, not --config wal.file.dir",
        "--backend memory --dir @ --channel c | --dir applies to the file backend only"})
    void badUsageExitsWithTwoAndAClearMessage(String args, String expected) {
        String[] argv = ("append " + args.trim().replace("@", dir.toString())).split("\\s+");

        Run run = walWithInput("x\n", argv);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(expected.replace("@", dir.toString())).contains("Usage: wal append");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpHasAnExample() {
        Run run = wal("append", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--property", "--vchannel", "--backend", "--dir", "--channel", "--term",
                "Examples:", "echo hello | wal append --dir /tmp/wal --channel orders");
    }
}
