package io.wal4j.impls.file;

import io.wal4j.api.OpenOption;
import io.wal4j.api.WALClosedException;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.utility.Lifetime;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Opens channels under the configured root directory ({@code <dir>/<channel>}). Thread-safe: channels may be opened
 * concurrently. Closing it closes every WAL it opened that is still open.
 */
final class FileOpener implements OpenerImpls {

    private final FileConfig config;
    private final Storage storage;
    private final LongSupplier clock;
    private final Lifetime lifetime = new Lifetime("file opener");
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();

    FileOpener(FileConfig config, Storage storage, LongSupplier clock) {
        this.config = config;
        this.storage = storage;
        this.clock = clock;
    }

    @Override
    public WALImpls open(OpenOption option) {
        Objects.requireNonNull(option, "option");
        if (option.isReadOnly()) {
            throw new IllegalArgumentException("open() needs a read-write channel, got " + option.channel()
                    + "; use openReadOnly()");
        }
        enter();
        try {
            FileWAL wal = WriterRegistry.open(option.channel(), dirOf(option), config, storage, clock, open::remove);
            open.add(wal);
            return wal;
        } finally {
            lifetime.exit();
        }
    }

    @Override
    public ReadOnlyWALImpls openReadOnly(OpenOption option) {
        Objects.requireNonNull(option, "option");
        enter();
        try {
            FileReadOnlyWAL wal = FileReadOnlyWAL.open(option.channel(), dirOf(option), storage, config,
                    open::remove);
            open.add(wal);
            return wal;
        } finally {
            lifetime.exit();
        }
    }

    private Path dirOf(OpenOption option) {
        return config.dir().resolve(option.channel().name());
    }

    private void enter() {
        if (!lifetime.tryEnter()) {
            throw new WALClosedException("file opener of " + config.dir() + " is closed", lifetime.closedBy());
        }
    }

    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        lifetime.awaitQuiescent();
        for (AutoCloseable wal : List.copyOf(open)) {
            try {
                wal.close();
            } catch (Exception e) {
                // WAL close never throws; keep closing the others regardless.
            }
        }
    }

    @Override
    public String toString() {
        return "FileOpener{" + config.dir() + "}";
    }
}
