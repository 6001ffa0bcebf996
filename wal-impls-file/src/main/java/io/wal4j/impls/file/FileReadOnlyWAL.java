package io.wal4j.impls.file;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A channel opened for reading, possibly while another process writes it. Takes no lock and never modifies a file.
 * Its scanners, at the end of the log, re-read the directory every {@code wal.file.reader-poll-interval} (the only
 * polling in the backend: a writer in another process cannot signal this one). Thread-safe; closing it closes its
 * scanners.
 */
final class FileReadOnlyWAL implements ReadOnlyWALImpls {

    private final PChannelInfo channel;
    private final ChannelLog log;
    private final Lifetime lifetime;
    private final ScannerSet scanners;
    private final Consumer<FileReadOnlyWAL> onClose;

    private FileReadOnlyWAL(PChannelInfo channel, ChannelLog log, Consumer<FileReadOnlyWAL> onClose) {
        this.channel = channel;
        this.log = log;
        this.lifetime = new Lifetime("read-only file WAL " + channel);
        this.scanners = new ScannerSet(log, lifetime);
        this.onClose = onClose;
    }

    /**
     * @throws WALStorageException if the directory cannot be read
     */
    static FileReadOnlyWAL open(PChannelInfo channel, Path dir, Storage storage, FileConfig config,
                                Consumer<FileReadOnlyWAL> onClose) {
        ReadOnlyRefresher refresher = new ReadOnlyRefresher(dir, storage, config);
        ChannelLog log = new ChannelLog(channel.name(), dir, List.of(), 0, refresher,
                ChannelLog.toNanos(config.readerPollInterval()));
        refresher.attach(log);
        try {
            refresher.refresh();
        } catch (IOException | RuntimeException e) {
            log.close();
            throw new WALStorageException("cannot read channel " + channel.name() + " in " + dir, e);
        }
        return new FileReadOnlyWAL(channel, log, onClose);
    }

    @Override
    public String walName() {
        return FileMessageId.WAL_NAME;
    }

    @Override
    public PChannelInfo channel() {
        return channel;
    }

    @Override
    public ScannerImpls read(ReadOptionImpls option) {
        return scanners.create(option);
    }

    /** Reads only the last record, positioned through the segment index (see {@link LastRecord}). */
    @Override
    public Optional<ImmutableMessage> readLast() {
        return LastRecord.read(this, log);
    }

    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        lifetime.awaitQuiescent();
        scanners.closeAll();
        log.close();
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "FileReadOnlyWAL{" + channel + "}";
    }
}
