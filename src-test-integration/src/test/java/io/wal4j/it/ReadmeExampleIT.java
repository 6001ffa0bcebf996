package io.wal4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.AppendResult;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the usage example of the root README and checks that the README still shows it verbatim, so the example
 * compiles and works as long as this test passes.
 */
class ReadmeExampleIT {

    private static final Path THIS_FILE = Path.of("src/test/java/io/wal4j/it/ReadmeExampleIT.java");
    private static final Path README = Path.of("../README.md");

    @TempDir
    Path dir;

    /** The README's example, between the markers; {@code dir} is where the log lives. */
    static void example(Path dir) {
        // README-BEGIN
        WALConfig config = WALConfig.of(Map.of("wal.file.dir", dir.toString()));
        try (Opener opener = WALRegistry.builder("file").build(config);
             WAL wal = opener.open(OpenOption.readWrite("orders", 1));
             Scanner scanner = wal.read(ReadOption.all())) {

            AppendResult first = wal.append(MutableMessage.newBuilder()
                    .payload("order 42 paid".getBytes(StandardCharsets.UTF_8))
                    .property("order-id", "42")
                    .build());
            System.out.println("appended " + first.messageId() + ", durability " + first.durability());

            // appendAsync is the primitive: many appends in flight, one fsync for a whole batch of them.
            wal.appendAsync(MutableMessage.newBuilder().payload(new byte[] {1, 2, 3}).build())
                    .thenAccept(result -> System.out.println("appended " + result.messageId()))
                    .join();

            for (int read = 0; read < 2; ) {
                ImmutableMessage message = scanner.take();  // blocks until the next message
                if (message.messageType().isSystem()) {
                    continue;  // a time tick: the WAL's own message
                }
                read++;
                System.out.println("read " + message.id() + ", " + message.payloadSize() + " bytes, order-id "
                        + message.property("order-id"));
            }
        }
        // README-END
    }

    @Test
    void theExampleAppendsTwoMessagesAndReadsThemBack() {
        String output = ItTestUtils.captureStandardOutput(() -> example(dir));

        List<String> lines = output.lines().collect(Collectors.toList());
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("appended ").endsWith(", durability DISK");
        assertThat(lines.get(1)).startsWith("appended ");
        assertThat(lines.get(2)).startsWith("read ").endsWith(", 13 bytes, order-id 42");
        assertThat(lines.get(3)).startsWith("read ").endsWith(", 3 bytes, order-id null");
    }

    @Test
    void theReadmeShowsTheExampleVerbatim() throws IOException {
        String readme = Files.readString(README);

        assertThat(readme).contains(exampleAsInTheReadme());
    }

    /** @return the lines between the markers of {@link #example}, without their common indentation */
    static String exampleAsInTheReadme() throws IOException {
        List<String> source = Files.readAllLines(THIS_FILE);
        int begin = indexOfMarker(source, "// README-BEGIN");
        int end = indexOfMarker(source, "// README-END");
        List<String> body = source.subList(begin + 1, end);
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
    }

    private static int indexOfMarker(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(marker)) {
                return i;
            }
        }
        throw new IllegalStateException("marker " + marker + " not found in " + THIS_FILE);
    }
}
