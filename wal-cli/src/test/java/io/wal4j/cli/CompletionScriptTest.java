package io.wal4j.cli;

import static io.wal4j.cli.CliTestUtils.wal;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.cli.CliTestUtils.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompletionScriptTest {

    /** The committed script, relative to the module directory (Surefire's working directory). */
    private static final Path SCRIPT = Path.of("src/main/completion/wal_completion");

    @Test
    void theCommittedCompletionScriptIsTheOneTheCurrentCommandsGenerate() throws IOException {
        Run run = wal("generate-completion");

        assertThat(run.exitCode()).isZero();
        // If this fails, a command or option changed: regenerate with
        //   java -jar wal-cli/target/wal.jar generate-completion > wal-cli/src/main/completion/wal_completion
        assertThat(Files.readString(SCRIPT)).isEqualTo(run.out());
    }

    @Test
    void bashCompletesSubcommandsAndOptionsWithTheScript() throws Exception {
        String script = "source " + SCRIPT.toAbsolutePath() + "\n"
                + "COMP_WORDS=(wal ver); COMP_CWORD=1; _complete_wal 2>/dev/null; echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(wal tail --fo); COMP_CWORD=2; _complete_wal 2>/dev/null; echo \"${COMPREPLY[*]}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(out.lines().toList()).containsExactly("verify", "--follow");
    }
}
