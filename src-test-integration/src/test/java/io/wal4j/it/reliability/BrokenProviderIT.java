package io.wal4j.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken provider on the class path — a {@code META-INF/services} entry naming a class that is not there, as left
 * by a half-built or mismatched jar — must not break anything else: the message-id codecs and the backend registry
 * skip it ("a provider that fails to load does not break the others", DESIGN §5), and an unknown backend name still
 * gets {@link io.wal4j.api.InvalidMessageIdException}. Run in a fresh JVM ({@link BrokenProviderChild}) because the
 * provider scans happen once per process.
 */
class BrokenProviderIT {

    @TempDir
    Path dir;

    @Test
    void aServiceFileNamingAMissingClassBreaksNoLookup() throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("io.wal4j.api.message.MessageIdCodec"),
                "io.wal4j.missing.MissingCodec\n", StandardCharsets.UTF_8);
        Files.writeString(services.resolve("io.wal4j.spi.OpenerBuilderImpls"),
                "io.wal4j.missing.MissingOpenerBuilder\n", StandardCharsets.UTF_8);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", dir + File.pathSeparator + System.getProperty("java.class.path"),
                BrokenProviderChild.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        List<String> lines = out.lines().toList();
        assertThat(lines).as("checks run").hasSize(3);
        assertThat(lines.stream().filter(l -> !l.startsWith("OK ")).toList()).as("failed checks").isEmpty();
        assertThat(child.exitValue()).isZero();
    }
}
