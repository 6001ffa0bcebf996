package io.wal4j.cli;

import io.wal4j.adaptor.AdaptorConfig;
import io.wal4j.api.Durability;
import io.wal4j.api.WALConfig;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.registry.WALImplsRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where a demo run keeps its data and how its backend is configured: for the file backend, the directory given with
 * {@code --dir} or a fresh temporary one (deleted on {@link #close()} unless {@code --keep}); the durability asked
 * with {@code --durability}, as the adaptor's {@code wal.adaptor.durability} key. Not thread-safe; single use.
 */
final class DemoWorkspace implements AutoCloseable {

    /** The embedded default backend, used when it is on the class path. */
    static final String FILE_BACKEND = "file";
    /** The backend used when the file backend is absent. */
    static final String MEMORY_BACKEND = "memory";
    /** The file backend's root directory key. */
    static final String FILE_DIR_KEY = "wal.file.dir";

    private final DemoSettings settings;
    private final Optional<Path> dir;
    private final boolean temporary;
    private final Optional<Durability> durability;

    private DemoWorkspace(DemoSettings settings, Optional<Path> dir, boolean temporary,
                          Optional<Durability> durability) {
        this.settings = settings;
        this.dir = dir;
        this.temporary = temporary;
        this.durability = durability;
    }

    /** @return {@value #FILE_BACKEND} when a backend of that name is registered, else {@value #MEMORY_BACKEND} */
    static String defaultBackend() {
        return WALImplsRegistry.find(FILE_BACKEND).isPresent() ? FILE_BACKEND : MEMORY_BACKEND;
    }

    /**
     * Checks the settings against the backend and creates the temporary directory if one is needed.
     *
     * @throws IllegalArgumentException if the backend is not registered or does not support the durability asked
     * @throws UncheckedIOException     if the temporary directory cannot be created
     */
    static DemoWorkspace create(DemoSettings settings) {
        OpenerBuilderImpls backend = WALImplsRegistry.find(settings.backend()).orElseThrow(() ->
                new IllegalArgumentException("unknown backend \"" + settings.backend() + "\" for --backend; available: "
                        + WALImplsRegistry.names()));
        Capabilities capabilities = backend.capabilities();
        settings.durability().ifPresent(level -> {
            if (!capabilities.supports(level)) {
                throw new IllegalArgumentException("backend " + settings.backend() + " supports durability "
                        + new TreeSet<>(capabilities.durabilities()) + ", not --durability " + level);
            }
        });
        // The backend's default needs no key; another level is asked through the adaptor's durability key.
        Optional<Durability> durability = settings.durability().filter(d -> d != capabilities.defaultDurability());
        if (!settings.backend().equals(FILE_BACKEND)) {
            return new DemoWorkspace(settings, Optional.empty(), false, durability);
        }
        if (settings.dir().isPresent()) {
            return new DemoWorkspace(settings, settings.dir(), false, durability);
        }
        try {
            Path temporary = Files.createTempDirectory("wal4j-demo-");
            return new DemoWorkspace(settings, Optional.of(temporary), true, durability);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the demo", e);
        }
    }

    /** @return the settings of the run */
    DemoSettings settings() {
        return settings;
    }

    /** @return the configuration handed to the backend */
    WALConfig config() {
        WALConfig config = WALConfig.empty();
        if (dir.isPresent()) {
            config = config.with(FILE_DIR_KEY, dir.get().toString());
        }
        if (durability.isPresent()) {
            config = config.with(AdaptorConfig.DURABILITY.name(), durability.get().name());
        }
        return config;
    }

    /** @return one line saying where the data lives */
    String describe() {
        String where = dir.map(d -> "data in " + d + (temporary
                ? settings.keep() ? " (temporary, kept)" : " (temporary, deleted at the end; --keep keeps it)"
                : "")).orElse("data in memory");
        return "backend " + settings.backend() + ", channel " + settings.channel() + ", " + where;
    }

    /** Deletes the temporary directory unless asked to keep it. Idempotent; never throws. */
    @Override
    public void close() {
        if (!temporary || settings.keep() || dir.isEmpty() || !Files.exists(dir.get())) {
            return;
        }
        try {
            Files.walkFileTree(dir.get(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("warning: could not delete the demo's temporary directory " + dir.get() + ": " + e);
        }
    }
}
