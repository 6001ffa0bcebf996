package io.wal4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories of the benchmarks, under the directory named by the system property {@value #PROPERTY}
 * (default: {@code java.io.tmpdir}). Stateless and thread-safe.
 */
final class BenchDirs {

    /** The system property naming the parent of every scratch directory. */
    static final String PROPERTY = "wal.bench.dir";

    private BenchDirs() {
    }

    /**
     * @param what a short label that ends up in the directory name
     * @return a new, empty directory
     * @throws UncheckedIOException if it cannot be created
     */
    static Path create(String what) {
        Path base = Paths.get(System.getProperty(PROPERTY, System.getProperty("java.io.tmpdir")));
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, "wal4j-bench-" + what + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory under " + base, e);
        }
    }

    /** Deletes {@code dir} and everything under it; null is ignored. Never throws: a leftover is not worth a crash. */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("cannot delete " + p + ": " + e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }

    /** @return the total size of the regular files under {@code dir}, in bytes */
    static long size(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }
}
