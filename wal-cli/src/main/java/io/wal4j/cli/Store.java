package io.wal4j.cli;

import io.wal4j.adaptor.AdaptorConfig;
import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.registry.WALImplsRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A channel of a backend as the common options name it, checked before anything is opened: the backend is
 * registered, the file backend has an existing {@code --dir}, the channel name is valid and the term positive.
 * Hands out openers; what they open is the caller's to close. Immutable.
 */
final class Store {

    /** The file backend's name. */
    static final String FILE = DemoWorkspace.FILE_BACKEND;

    private final String backend;
    private final Optional<Path> dir;
    private final String channel;
    private final long term;
    private final WALConfig extra;

    private Store(String backend, Optional<Path> dir, String channel, long term, WALConfig extra) {
        this.backend = backend;
        this.dir = dir;
        this.channel = channel;
        this.term = term;
        this.extra = extra;
    }

    /**
     * @throws IllegalArgumentException quoting the option, for an unknown backend, a missing or misplaced
     *                                  {@code --dir}, a directory that does not exist, a bad channel name or term
     */
    static Store of(StoreOptions options) {
        if (WALImplsRegistry.find(options.backend).isEmpty()) {
            throw new IllegalArgumentException("unknown backend \"" + options.backend + "\" for --backend; available: "
                    + WALImplsRegistry.names());
        }
        try {
            PChannelInfo.checkName(options.channel);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--channel: " + e.getMessage(), e);
        }
        if (options.term < 1) {
            throw new IllegalArgumentException("--term must be >= 1, got " + options.term);
        }
        if (!options.backend.equals(FILE)) {
            if (options.dir != null) {
                throw new IllegalArgumentException("--dir applies to the file backend only, not to " + options.backend);
            }
            return new Store(options.backend, Optional.empty(), options.channel, options.term, extra(options));
        }
        if (options.dir == null) {
            throw new IllegalArgumentException("the file backend needs --dir DIR, the directory holding its channels");
        }
        if (!Files.isDirectory(options.dir)) {
            throw new IllegalArgumentException("--dir " + options.dir + (Files.exists(options.dir)
                    ? " is not a directory" : " does not exist (create it first: mkdir -p " + options.dir + ")"));
        }
        return new Store(options.backend, Optional.of(options.dir), options.channel, options.term, extra(options));
    }

    private static WALConfig extra(StoreOptions options) {
        for (String key : options.config.keySet()) {
            if (key.equals(DemoWorkspace.FILE_DIR_KEY)) {
                throw new IllegalArgumentException("give the directory with --dir, not --config " + key);
            }
            if (!key.startsWith("wal.")) {
                throw new IllegalArgumentException("--config key \"" + key + "\" is not a wal4j key (wal.…)");
            }
        }
        return WALConfig.of(options.config);
    }

    String backend() {
        return backend;
    }

    String channel() {
        return channel;
    }

    long term() {
        return term;
    }

    boolean isFile() {
        return backend.equals(FILE);
    }

    /** @return the root directory; present for the file backend */
    Optional<Path> dir() {
        return dir;
    }

    /** @return the channel's directory of the file backend */
    Path channelDir() {
        return dir.orElseThrow(() -> new IllegalStateException("backend " + backend + " has no directory"))
                .resolve(channel);
    }

    /** @return the backend as registered */
    OpenerBuilderImpls impls() {
        return WALImplsRegistry.mustGet(backend);
    }

    /** @return the configuration handed to the backend */
    WALConfig config() {
        return dir.map(d -> extra.with(DemoWorkspace.FILE_DIR_KEY, d.toString())).orElse(extra);
    }

    /** @return a new opener over the adaptor; the caller closes it */
    Opener opener() {
        return WALRegistry.builder(backend).build(config());
    }

    /**
     * @param durability the level every append asks for, or null for the backend's default
     * @return a new opener over the adaptor; the caller closes it
     */
    Opener opener(Durability durability) {
        WALConfig config = config();
        if (durability != null) {
            config = config.with(AdaptorConfig.DURABILITY.name(), durability.name());
        }
        return WALRegistry.builder(backend).build(config);
    }

    /** Opens the channel for writing on {@code opener}. */
    WAL open(Opener opener) {
        return opener.open(OpenOption.readWrite(channel, term));
    }

    /**
     * Opens the channel for reading on {@code opener}, first checking that a file channel exists (reading must not
     * create it).
     *
     * @throws ChannelNotFoundException if the file backend has no such channel
     */
    ReadOnlyWAL openReadOnly(Opener opener) {
        requireChannel();
        return opener.openReadOnly(OpenOption.readOnly(channel, term));
    }

    /**
     * @throws ChannelNotFoundException if this is the file backend and the channel's directory does not exist
     */
    void requireChannel() {
        if (isFile() && !Files.isDirectory(channelDir())) {
            throw new ChannelNotFoundException("no channel \"" + channel + "\" in " + dir.get() + "; channels there: "
                    + channels(dir.get()));
        }
    }

    /** @return the channel names under a file backend root */
    static List<String> channels(Path root) {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    @Override
    public String toString() {
        return "backend " + backend + ", channel " + channel + dir.map(d -> ", dir " + d).orElse("");
    }

    /** A read on a file channel that does not exist. */
    static final class ChannelNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChannelNotFoundException(String message) {
            super(message);
        }
    }
}
