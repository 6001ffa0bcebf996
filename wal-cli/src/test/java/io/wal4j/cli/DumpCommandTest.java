package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static io.wal4j.cli.CliTestUtils.walWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.cli.CliTestUtils.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DumpCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeSomeMessages() {
        Run run = walWithInput("hello\n\"quoted\" \\ back\n", "append", "--dir", dir.toString(), "--channel", "c",
                "--vchannel", "v1", "-p", "k=v");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private Run dump(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("dump", "--dir", dir.toString(), "--channel", "c",
                "--idle", "300ms"));
        args.addAll(List.of(extra));
        return wal(args.toArray(String[]::new));
    }

    @Test
    void theTableListsEveryRecordTheWalsOwnIncludedWithItsColumns() {
        Run run = dump("--payload");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).containsPattern(
                "ID\\s+TIME_TICK\\s+TYPE\\s+VCHANNEL\\s+PAYLOAD_B\\s+SIZE_B\\s+PAYLOAD");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                "file:\\d+\\s+\\d+\\s+Data\\s+v1\\s+5\\s+\\d+\\s+hello"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("TimeTick"));
        long records = lines.size() - 2;
        assertThat(lines.get(lines.size() - 1)).isEqualTo(records + " records");
        assertThat(records).isGreaterThan(2);
    }

    @Test
    void jsonPrintsOneObjectPerRecordWithEscapedPayloadAndUserProperties() {
        Run run = dump("--json", "--payload");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).allMatch(l -> l.startsWith("{\"id\":\"file:") && l.endsWith("}"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\{\"id\":\"file:\\d+\",\"timeTick\":\\d+,"
                + "\"type\":\"Data\",\"vchannel\":\"v1\",\"payloadBytes\":5,\"size\":\\d+,"
                + "\"properties\":\\{\"k\":\"v\"},\"payload\":\"hello\"}"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"payload\":\"\\\"quoted\\\" \\\\ back\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"TimeTick\""));
    }

    @Test
    void maxRecordsStopsEarly() {
        Run run = dump("--json", "-n", "2");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(2);
    }

    @Test
    void aCorruptSealedSegmentFailsTheDumpWithExitOneNamingTheFileAndPosition() throws java.io.IOException {
        // Enough messages in small segments that the first one is sealed: readers trust and check sealed segments;
        // a bad record in the last, open segment looks to them like one still being written (see 'wal verify').
        Run more = walWithInput("m\n".repeat(100), "append", "--dir", dir.toString(), "--channel", "c",
                "--config", "wal.file.segment-bytes=1KiB", "--durability", "OS");
        assertThat(more.exitCode()).as(more.err()).isZero();
        Path segment = dir.resolve("c").resolve("00000000000000000000.seg");
        byte[] bytes = java.nio.file.Files.readAllBytes(segment);
        // Inside the first record's body: its checksum no longer matches.
        bytes[32 + 12 + 2] ^= 0x01;
        java.nio.file.Files.write(segment, bytes);

        Run run = dump();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("wal dump: corrupt segment " + segment + " at position 32",
                "run 'wal verify'");
    }

    @Test
    void dumpReadsAChannelThatAnotherProcessHoldsForWriting() throws Exception {
        Process holder = HoldLock.start(dir.resolve("c"));
        try {
            Run run = dump();

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("Data");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
    }

    @Test
    void aMissingDirectoryIsAUsageError() {
        Run run = wal("dump", "--dir", dir.resolve("nowhere").toString(), "--channel", "c");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--dir " + dir.resolve("nowhere") + " does not exist");
    }

    @ParameterizedTest(name = "wal dump {0} -> exit 2: {1}")
    @CsvSource(delimiter = '|', value = {
        "--from 42        | --from must be all, latest or a message id",
        "-n -1            | --max-records must be >= 1, got -1",
        "--term 0         | --term must be >= 1, got 0"})
    void badUsageExitsWithTwo(String extra, String expected) {
        Run run = dump(extra.trim().split("\\s+"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(expected, "Usage: wal dump");
    }

    @Test
    void helpHasExamples() {
        Run run = wal("dump", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--json", "--from", "Examples:", "wal dump --dir /tmp/wal --channel orders");
    }
}
