package io.wal4j.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wal4j.api.WALConfig;
import io.wal4j.spi.registry.WALImplsRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Helpers shared by the integration tests of this package. */
final class ItTestUtils {

    private ItTestUtils() {
    }

    /**
     * @return the configuration of {@code backend} with its data (if any) under {@code dir}; skips the test visibly
     *     when the backend is not on the class path
     */
    static WALConfig backendConfig(String backend, Path dir) {
        assumeTrue(WALImplsRegistry.find(backend).isPresent(), "backend " + backend + " is not on the class path");
        return switch (backend) {
            case "file" -> WALConfig.of(Map.of("wal.file.dir", dir.toString()));
            default -> WALConfig.empty();
        };
    }

    /** Runs {@code action} with {@code System.out} captured; @return what it printed. Not for concurrent tests. */
    static String captureStandardOutput(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** @return the names of the live threads starting with {@code prefix}, sorted */
    static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).sorted().toList();
    }
}
