package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.cli.CliTestUtils.Run;
import org.junit.jupiter.api.Test;

class WalCommandTest {

    @Test
    void helpListsEverySubcommandWithExamples() {
        Run run = wal("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: wal", "demo", "--version", "Examples:", "wal demo")
                .contains("append", "tail", "dump", "verify", "stats", "truncate", "bench", "generate-completion")
                .contains("echo hi | wal append --dir d --channel c", "Exit status: 0 success");
    }

    @Test
    void versionPrintsTheProjectVersionFilledInByTheBuild() {
        Run run = wal("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("wal4j \\d+\\.\\d+\\.\\d+").doesNotContain("${");
    }

    @Test
    void withoutASubcommandItExitsWithUsageErrorAndSaysWhatToType() {
        Run run = wal();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing subcommand", "wal demo");
    }

    @Test
    void anUnknownOptionExitsWithUsageErrorNamingIt() {
        Run run = wal("--frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--frobnicate");
    }

    @Test
    void anUnknownSubcommandExitsWithUsageErrorNamingIt() {
        Run run = wal("explode");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("explode");
    }
}
