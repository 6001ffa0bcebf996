package io.wal4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the first program of {@code docs/getting-started.md} ({@link FirstWal}) and fails if the page stops showing
 * it verbatim.
 */
class GettingStartedIT {

    private static final Path SOURCE = Path.of("src/test/java/io/wal4j/it/FirstWal.java");
    private static final Path PAGE = Path.of("../docs/getting-started.md");

    @TempDir
    Path dir;

    @Test
    void theFirstProgramAppendsAndReadsItsMessageBack() {
        String output = ItTestUtils.captureStandardOutput(() -> FirstWal.main(new String[] {dir.toString()}));

        assertThat(output.lines())
                .hasSize(2)
                .satisfiesExactly(
                        line -> assertThat(line).startsWith("appended ").endsWith(", durability DISK"),
                        line -> assertThat(line).startsWith("read ").endsWith(": 42"));
        assertThat(dir.resolve("orders")).as("the channel's directory").isDirectory();
    }

    @Test
    void thePageShowsTheProgramVerbatim() throws IOException {
        String source = Files.readString(SOURCE);
        String program = source.substring(source.indexOf("import "));

        assertThat(Files.readString(PAGE)).contains(program);
    }
}
