package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for the seam-driven tests, on {@code /dev/shm} when the machine has it: those tests simulate
 * power loss and damage themselves, so a real fsync only costs time. The kill -9 test keeps the real disk.
 */
public final class ScratchDirs {

    private static final Path SHM = Path.of("/dev/shm");

    private ScratchDirs() {
    }

    /** @return a new empty directory; the caller deletes it with {@link #deleteTree} */
    public static Path create(String prefix) throws IOException {
        if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
            return Files.createTempDirectory(SHM, prefix);
        }
        return Files.createTempDirectory(prefix);
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
