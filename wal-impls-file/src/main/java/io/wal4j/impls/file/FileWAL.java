package io.wal4j.impls.file;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.Durability;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.utility.Lifetime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One channel of the file backend opened for writing. Appends are encoded on the caller's thread, queued (blocking
 * when the queue is full), group-committed by the channel's writer thread and completed on its completer thread
 * ({@code wal4j-file-ack-<channel>}) once the asked durability is reached: {@link Durability#OS} after the write,
 * {@link Durability#DISK} after the force. {@link #append(MutableMessage)} uses the configured default level
 * ({@code wal.file.durability}); the SPI's two-argument form takes the level from its caller.
 *
 * <p>Failure is sticky: after a failed write or force every append fails with the same
 * {@link WALStorageException}; after fencing (the channel reopened at a term at least as high, in this process)
 * with {@link ChannelFencedException}. Reopening recovers.
 *
 * <p>Thread-safe. Lifetime: inside its opener; {@link #close()} refuses new calls, lets queued appends finish,
 * closes scanners, releases the channel lock. {@link #recoveryReport()} tells what the open recovered.
 */
public final class FileWAL implements WALImpls {

    private final PChannelInfo channel;
    private final FileConfig config;
    private final Storage storage;
    private final ChannelLog log;
    private final AppendQueue queue;
    private final GroupCommitWriter writer;
    private final ExecutorService completer;
    private final String completerName;
    private final ChannelLock lock;
    private final RecoveryReport report;
    private final Lifetime lifetime;
    private final ScannerSet scanners;
    private final Consumer<FileWAL> onClose;
    private final Object stopLock = new Object();
    private volatile ChannelFencedException fenced;
    private boolean stopped;

    private FileWAL(PChannelInfo channel, FileConfig config, Storage storage, ChannelLog log, AppendQueue queue,
                    GroupCommitWriter writer, ExecutorService completer, String completerName, ChannelLock lock,
                    RecoveryReport report, Consumer<FileWAL> onClose) {
        this.channel = channel;
        this.config = config;
        this.storage = storage;
        this.log = log;
        this.queue = queue;
        this.writer = writer;
        this.completer = completer;
        this.completerName = completerName;
        this.lock = lock;
        this.report = report;
        this.lifetime = new Lifetime("file WAL " + channel);
        this.scanners = new ScannerSet(log, lifetime);
        this.onClose = onClose;
    }

    /**
     * Locks the channel directory, checks and persists the term, recovers the log and starts the writer. Called by
     * {@link WriterRegistry}, which fences an older writer of this process first.
     *
     * @throws ChannelFencedException if the persisted term is higher than the channel's
     * @throws io.wal4j.api.WALCorruptionException if the log is corrupt before its tail and the policy is FAIL
     * @throws WALStorageException    if another process holds the lock or the directory cannot be used
     */
    static FileWAL open(PChannelInfo channel, Path dir, FileConfig config, Storage storage, LongSupplier clock,
                        Consumer<FileWAL> onClose) {
        createDirectory(dir, storage);
        ChannelLock lock = ChannelLock.acquire(dir);
        LogRecovery.Recovered recovered = null;
        try {
            long persisted = TermFile.read(dir, storage);
            if (channel.term() < persisted) {
                throw new ChannelFencedException(channel.name(), channel.term(), "the channel's persisted term is "
                        + persisted + " (" + dir.resolve(TermFile.NAME) + ")");
            }
            if (channel.term() > persisted) {
                TermFile.write(dir, channel.term(), storage);
            } else {
                storage.delete(dir.resolve(TermFile.TEMP_NAME));
            }
            recovered = LogRecovery.recover(channel.name(), dir, storage, config);
            ChannelLog log = new ChannelLog(channel.name(), dir, recovered.segments(), recovered.nextId(), null, 0);
            AppendQueue queue = new AppendQueue(config.queueMessages(), config.queueBytes());
            String completerName = "wal4j-file-ack-" + channel.name();
            ExecutorService completer = Threads.single(completerName);
            GroupCommitWriter writer = new GroupCommitWriter(log, storage, config, clock, queue, completer);
            try {
                writer.prepare(recovered);
            } catch (IOException | RuntimeException e) {
                completer.shutdown();
                log.close();
                throw e;
            }
            FileWAL wal = new FileWAL(channel, config, storage, log, queue, writer, completer, completerName, lock,
                    recovered.report(), onClose);
            writer.start();
            return wal;
        } catch (IOException e) {
            closeAll(recovered);
            lock.close();
            throw new WALStorageException("cannot open channel " + channel.name() + " in " + dir, e);
        } catch (RuntimeException e) {
            closeAll(recovered);
            lock.close();
            throw e;
        }
    }

    private static void closeAll(LogRecovery.Recovered recovered) {
        if (recovered != null) {
            recovered.segments().forEach(Segment::closeQuietly);
        }
    }

    private static void createDirectory(Path dir, Storage storage) {
        try {
            storage.createDirectories(dir); // forces the parent of every directory it creates, the root's too
        } catch (IOException e) {
            throw new WALStorageException("cannot create channel directory " + dir, e);
        }
    }

    @Override
    public String walName() {
        return FileMessageId.WAL_NAME;
    }

    @Override
    public PChannelInfo channel() {
        return channel;
    }

    /** @return what opening this channel recovered: segments trusted and scanned, bytes dropped and why */
    public RecoveryReport recoveryReport() {
        return report;
    }

    /** @return the durability of {@link #append(MutableMessage)}: {@code wal.file.durability} */
    public Durability defaultDurability() {
        return config.durability();
    }

    /**
     * Appends at the configured default durability ({@code wal.file.durability}); otherwise exactly
     * {@link #append(MutableMessage, Durability)}.
     *
     * @return the id assigned, completed once the default level is reached
     */
    public CompletableFuture<MessageId> append(MutableMessage message) {
        return append(message, config.durability());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Blocks while the writer's queue is full (back-pressure); an interrupt while blocked completes the future
     * with {@link WALClosedException} and keeps the interrupt status.
     */
    @Override
    public CompletableFuture<MessageId> append(MutableMessage message, Durability durability) {
        if (message == null) {
            return CompletableFuture.failedFuture(new NullPointerException("message"));
        }
        if (durability == null) {
            return CompletableFuture.failedFuture(new NullPointerException("durability"));
        }
        Durability level = durability;
        if (level != Durability.OS && level != Durability.DISK) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("durability " + level
                    + " is not supported by the file backend; supported: [OS, DISK]"));
        }
        if (!lifetime.tryEnter()) {
            return CompletableFuture.failedFuture(closed());
        }
        try {
            WALException refused = refusal();
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            CompletableFuture<MessageId> future = new CompletableFuture<>();
            queue.put(new PendingAppend(SegmentFormat.encodeFrame(message), level, future));
            return future;
        } catch (WALException e) {
            return CompletableFuture.failedFuture(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new WALClosedException("append to channel " + channel.name()
                    + " interrupted while waiting for queue space"));
        } finally {
            lifetime.exit();
        }
    }

    private WALException refusal() {
        ChannelFencedException f = fenced;
        return f != null ? f : writer.failure();
    }

    private WALClosedException closed() {
        return new WALClosedException("file WAL of channel " + channel + " is closed", lifetime.closedBy());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Deletes, synchronously, every sealed segment whose last id is at most {@code id}; the active segment is
     * kept, so a few records before {@code id} may remain readable.
     */
    @Override
    public CompletableFuture<Void> truncate(MessageId id) {
        if (id == null) {
            return CompletableFuture.failedFuture(new NullPointerException("id"));
        }
        if (!(id instanceof FileMessageId fileId)) {
            return CompletableFuture.failedFuture(new InvalidMessageIdException("message id " + id
                    + " belongs to backend " + id.walName() + ", not " + FileMessageId.WAL_NAME));
        }
        if (!lifetime.tryEnter()) {
            return CompletableFuture.failedFuture(closed());
        }
        try {
            if (fenced != null) {
                return CompletableFuture.failedFuture(fenced);
            }
            dropSegmentsUpTo(fileId.sequence());
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new WALStorageException("cannot truncate channel "
                    + channel.name() + " up to " + id, e));
        } finally {
            lifetime.exit();
        }
    }

    private void dropSegmentsUpTo(long sequence) throws IOException {
        int count = 0;
        for (Segment s : log.segments()) {
            if (!s.isSealed() || s.nextId() - 1 > sequence) {
                break;
            }
            count++;
        }
        log.dropOldest(count, storage);
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

    /** @return the number of appends waiting for the writer (for tests and metrics) */
    int pendingAppends() {
        return queue.size();
    }

    /** @return the id the next append will take */
    long nextId() {
        return log.nextId();
    }

    /** @return the channel's fencing term */
    long term() {
        return channel.term();
    }

    /**
     * Fences this writer because the channel was reopened at {@code newTerm}: stops the writer (queued appends and
     * every later one fail with {@link ChannelFencedException}) and releases the channel lock. Reads keep working
     * on what was written until {@link #close()}.
     */
    void fence(long newTerm) {
        fenced = new ChannelFencedException(channel.name(), channel.term(), "the channel was reopened for writing at"
                + " term " + newTerm);
        stopWriter(fenced, true);
    }

    private void stopWriter(WALException reason, boolean abort) {
        synchronized (stopLock) {
            if (stopped) {
                return;
            }
            stopped = true;
            queue.close(reason, abort);
            writer.join();
            Threads.shutdown(completer, completerName);
            lock.close();
        }
    }

    /** Closes the WAL: queued appends are written first, then scanners and files are closed. Idempotent. */
    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        lifetime.awaitQuiescent();
        stopWriter(closed(), false);
        scanners.closeAll();
        log.close();
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "FileWAL{" + channel + ", next=" + FileMessageId.WAL_NAME + ":" + log.nextId() + "}";
    }
}
