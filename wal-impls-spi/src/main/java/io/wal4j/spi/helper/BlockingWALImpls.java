package io.wal4j.spi.helper;

import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.utility.Closeables;
import io.wal4j.utility.Lifetime;
import io.wal4j.utility.NamedThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link BlockingWALBackend} into a {@link WALImpls}: each {@link #append} and {@link #truncate} runs on a
 * small executor of named daemon threads ({@code wal4j-<walName>-append-<channel>-<n>}) with a bounded queue, and
 * returns at once with a future.
 *
 * <p><b>Never throws from async calls.</b> A null argument, a full queue ({@link RejectedExecutionException}), a
 * closed WAL ({@link WALClosedException}, caused by a trace of where it was closed) and every backend failure
 * complete the future exceptionally. An {@link IOException} of the backend becomes a {@link WALStorageException};
 * other exceptions pass unchanged.
 *
 * <p><b>Ordering.</b> With one thread (the default) appends reach the backend one at a time in the order they were
 * accepted. With more threads they run concurrently and the backend must itself keep ids increasing in completion
 * order.
 *
 * <p><b>Lifetime.</b> {@link #close()} refuses new calls, closes the scanners created by {@link #read} that are
 * still running, lets every accepted append and truncate finish (queued ones included), shuts the executor down and
 * then closes the backend, once. It waits at most the close timeout; past it, running calls are interrupted,
 * queued ones fail with {@link WALClosedException}, and the backend is closed anyway. Called from one of this WAL's
 * own threads (from a future's callback, say), it does not wait: the backend is closed when the last accepted call
 * has returned.
 *
 * <p><b>Threads.</b> Thread-safe. Futures complete on the worker thread, so a callback that blocks holds up later
 * appends; use the {@code …Async} methods of {@link CompletableFuture} for heavy work.
 */
public final class BlockingWALImpls implements WALImpls {

    /** Worker threads unless configured. One keeps appends in submission order. */
    public static final int DEFAULT_THREADS = 1;
    /** Accepted calls that may wait for a worker unless configured. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;
    /** How long {@link #close()} waits for accepted calls unless configured. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(BlockingWALImpls.class);

    private final BlockingWALBackend backend;
    private final String walName;
    private final PChannelInfo channel;
    private final int queueCapacity;
    private final Duration closeTimeout;
    private final Lifetime lifetime;
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final Set<ScannerImpls> scanners = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean backendClosed = new AtomicBoolean();
    private final ThreadPoolExecutor executor;

    private BlockingWALImpls(Builder builder) {
        this.backend = builder.backend;
        this.walName = Objects.requireNonNull(backend.walName(), "backend.walName()");
        this.channel = Objects.requireNonNull(backend.channel(), "backend.channel()");
        this.queueCapacity = builder.queueCapacity;
        this.closeTimeout = builder.closeTimeout;
        this.lifetime = new Lifetime(describe());
        NamedThreadFactory names = new NamedThreadFactory("wal4j-" + walName + "-append-" + channel.name());
        this.executor = new ThreadPoolExecutor(builder.threads, builder.threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), task -> {
                    Thread thread = names.newThread(task);
                    workers.add(thread);
                    return thread;
                }) {
            @Override
            protected void terminated() {
                // Runs once the last accepted call has returned: now the backend may go.
                closeBackend();
            }
        };
    }

    /**
     * Wraps {@code backend} with the defaults: one thread, {@value #DEFAULT_QUEUE_CAPACITY} queued calls, a 30 s
     * close timeout. Starts no thread until the first call.
     *
     * @param backend the channel to wrap; the adapter owns it from now on
     * @return the adapter
     * @throws NullPointerException if {@code backend} or its {@code walName()}/{@code channel()} is null
     */
    public static BlockingWALImpls create(BlockingWALBackend backend) {
        return newBuilder(backend).build();
    }

    /**
     * @param backend the channel to wrap; the adapter owns it from {@link Builder#build()} on
     * @return a builder with the defaults
     * @throws NullPointerException if {@code backend} is null
     */
    public static Builder newBuilder(BlockingWALBackend backend) {
        return new Builder(backend);
    }

    @Override
    public String walName() {
        return walName;
    }

    @Override
    public PChannelInfo channel() {
        return channel;
    }

    /**
     * Queues the append and returns at once; see the class comment for how the future fails.
     *
     * @return the id the backend assigned, once it has returned
     */
    @Override
    public CompletableFuture<MessageId> append(MutableMessage message, Durability durability) {
        if (message == null || durability == null) {
            return CompletableFuture.failedFuture(
                    new NullPointerException(message == null ? "message" : "durability"));
        }
        return submit(new Call<>("append", () -> {
            MessageId id = backend.append(message, durability);
            if (id == null) {
                throw new IllegalStateException(describe() + ": backend returned a null message id");
            }
            return id;
        }));
    }

    /** Queues the truncation and returns at once; see the class comment for how the future fails. */
    @Override
    public CompletableFuture<Void> truncate(MessageId id) {
        if (id == null) {
            return CompletableFuture.failedFuture(new NullPointerException("id"));
        }
        return submit(new Call<Void>("truncate", () -> {
            backend.truncate(id);
            return null;
        }));
    }

    /**
     * Creates a scanner on the calling thread; it is closed with this WAL if still running.
     *
     * @throws NullPointerException if {@code option} is null
     * @throws WALClosedException   if this WAL is closed
     */
    @Override
    public ScannerImpls read(ReadOptionImpls option) {
        Objects.requireNonNull(option, "option");
        if (!lifetime.tryEnter()) {
            throw closed();
        }
        try {
            ScannerImpls scanner = backend.read(option);
            scanners.add(scanner);
            scanner.done().whenComplete((ignored, failure) -> scanners.remove(scanner));
            return scanner;
        } finally {
            lifetime.exit();
        }
    }

    /** See the class comment. Idempotent; never throws; only the first call waits. */
    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        // Calls being submitted (not executed) right now get into the queue before it closes.
        lifetime.awaitQuiescent(closeTimeout);
        Throwable scannerFailure = Closeables.closeAllQuietly(List.copyOf(scanners));
        if (scannerFailure != null) {
            LOG.warn("{}: closing a scanner failed", describe(), scannerFailure);
        }
        executor.shutdown();
        if (workers.contains(Thread.currentThread())) {
            return;
        }
        boolean terminated;
        try {
            terminated = executor.awaitTermination(closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("{}: interrupted while closing; the backend closes when the accepted calls return",
                    describe());
            return;
        }
        if (!terminated) {
            abandon();
        }
    }

    private <T> CompletableFuture<T> submit(Call<T> call) {
        if (!lifetime.tryEnter()) {
            call.fail(closed());
            return call.future;
        }
        try {
            executor.execute(call);
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown()) {
                // Only when close gave up waiting for submissions: the call is refused because of the close.
                call.fail(closed());
                return call.future;
            }
            call.fail(new RejectedExecutionException(describe() + ": " + call.what + " refused, "
                    + queueCapacity + " calls already waiting", e));
        } finally {
            lifetime.exit();
        }
        return call.future;
    }

    private void abandon() {
        List<Runnable> neverRun = executor.shutdownNow();
        LOG.warn("{}: accepted calls did not finish within {} of close; interrupted the running ones, failing {} "
                + "queued ones and closing the backend", describe(), closeTimeout, neverRun.size());
        for (Runnable task : neverRun) {
            ((Call<?>) task).fail(closed());
        }
        closeBackend();
    }

    private void closeBackend() {
        if (!backendClosed.compareAndSet(false, true)) {
            return;
        }
        try {
            backend.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: closing the backend failed", describe(), e);
        }
    }

    private WALClosedException closed() {
        return new WALClosedException(describe() + " is closed", lifetime.closedBy());
    }

    private String describe() {
        return walName + " WAL of channel " + channel;
    }

    /** A blocking call of the backend. */
    @FunctionalInterface
    private interface BlockingCall<T> {
        T call() throws IOException;
    }

    /** One accepted call: runs on a worker, completes its future, never lets a failure escape. */
    private final class Call<T> implements Runnable {
        final String what;
        final CompletableFuture<T> future = new CompletableFuture<>();
        private final BlockingCall<T> body;

        Call(String what, BlockingCall<T> body) {
            this.what = what;
            this.body = body;
        }

        @Override
        public void run() {
            T result;
            try {
                result = body.call();
            } catch (Throwable t) {
                fail(translate(t));
                return;
            }
            future.complete(result);
        }

        void fail(Throwable failure) {
            future.completeExceptionally(failure);
        }

        private Throwable translate(Throwable failure) {
            if (failure instanceof IOException) {
                return new WALStorageException(describe() + ": " + what + " failed: " + failure, failure);
            }
            if (failure instanceof RuntimeException || failure instanceof Error) {
                return failure;
            }
            // A checked exception the interface does not declare (thrown sneakily): still a storage failure.
            return new WALStorageException(describe() + ": " + what + " failed: " + failure, failure);
        }
    }

    /** Configures a {@link BlockingWALImpls}. Not thread-safe; build once. */
    public static final class Builder {
        private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);
        private final BlockingWALBackend backend;
        private int threads = DEFAULT_THREADS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

        private Builder(BlockingWALBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /**
         * @param threads how many appends may run at once, {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * @param queueCapacity how many accepted calls may wait for a thread, {@code >= 1}; one more is refused
         * @return this builder
         * @throws IllegalArgumentException if {@code queueCapacity < 1}
         */
        public Builder queueCapacity(int queueCapacity) {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
            }
            this.queueCapacity = queueCapacity;
            return this;
        }

        /**
         * @param closeTimeout how long {@link BlockingWALImpls#close()} waits for accepted calls
         * @return this builder
         * @throws NullPointerException     if {@code closeTimeout} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder closeTimeout(Duration closeTimeout) {
            Objects.requireNonNull(closeTimeout, "closeTimeout");
            if (closeTimeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, got " + closeTimeout);
            }
            // Longer than ~292 years is forever; clamp so it fits in nanoseconds.
            this.closeTimeout = closeTimeout.compareTo(FOREVER) > 0 ? FOREVER : closeTimeout;
            return this;
        }

        /**
         * Creates the adapter; starts no thread until the first call.
         *
         * @return the adapter, owning the backend
         * @throws NullPointerException if the backend's {@code walName()} or {@code channel()} is null
         */
        public BlockingWALImpls build() {
            return new BlockingWALImpls(this);
        }
    }
}
