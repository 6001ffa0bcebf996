package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReadOnlyWALTest {

    @TempDir
    Path dir;

    @Test
    void aReaderInThisProcessTailsAWriterInAnotherProcessByPolling() throws Exception {
        int count = 120;
        FileConfig config = config(dir, "reader-poll-interval", "5ms");
        try (FileOpener opener = opener(config, Storage.real());
             ReadOnlyWALImpls reader = opener.openReadOnly(OpenOption.readOnly("shared", 1));
             ScannerImpls scanner = reader.read(new ReadOptionImpls("tail", DeliverPolicy.all(), 1))) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    ChildWriter.class.getName(), dir.toString(), "shared", Integer.toString(count))
                    .redirectErrorStream(true).start();
            try {
                for (int i = 0; i < count; i++) {
                    ImmutableMessage m = scanner.poll(Duration.ofSeconds(30));
                    assertThat(m).as("message %d", i).isNotNull();
                    assertThat(m.id()).isEqualTo(FileMessageId.of(i));
                    assertThat(payload(m)).isEqualTo("payload-" + i);
                }
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                // The child may print logging warnings first; its last word before waiting is "written".
                assertThat(out.lines().takeWhile(line -> !line.equals("written")).count()).isLessThan(10);
            } finally {
                child.getOutputStream().close();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(LogRecovery.listSegments(dir.resolve("shared")).size()).as("the reader crossed rolls")
                    .isGreaterThan(2);
        }
    }

    @Test
    void aReadOnlyWALNeverWritesAndClosingItEndsItsScanners() throws Exception {
        try (FileOpener opener = opener(config(dir), Storage.real())) {
            ReadOnlyWALImpls reader = opener.openReadOnly(OpenOption.readOnly("absent", 1));
            assertThat(reader.channel()).isEqualTo(io.wal4j.api.PChannelInfo.readOnly("absent", 1));
            ScannerImpls scanner = reader.read(new ReadOptionImpls("s", DeliverPolicy.latest(), 1));
            assertThat(scanner.poll(Duration.ofMillis(20))).isNull();
            assertThat(dir.resolve("absent")).doesNotExist();
            reader.close();
            reader.close();
            assertThat(scanner.done()).isCompleted();
            assertThatThrownBy(() -> scanner.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
            assertThatThrownBy(() -> reader.read(new ReadOptionImpls("t", DeliverPolicy.all(), 1)))
                    .isInstanceOf(WALClosedException.class);
            try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        }
    }
}
