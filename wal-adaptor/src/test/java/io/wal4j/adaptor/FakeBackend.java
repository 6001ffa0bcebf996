package io.wal4j.adaptor;

import io.wal4j.api.Durability;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scriptable in-test backend: appends go through a replaceable {@link AppendHook} (store at once by default, or hold
 * for the test to complete by hand, or fail), reads block on a condition like a real backend. Records opens and closes
 * in order so lifetime tests can check them. Thread-safe.
 */
final class FakeBackend implements OpenerBuilderImpls {

    static final String NAME = "fake";
    static final long MAX_MESSAGE_BYTES = 4096;
    private static final Codec CODEC = new Codec();

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<FakeWAL> wals = new CopyOnWriteArrayList<>();
    private final Map<String, Log> logs = new ConcurrentHashMap<>();
    volatile AppendHook hook = AppendHook.STORE;

    /** What the backend does with one append attempt. */
    @FunctionalInterface
    interface AppendHook {
        AppendHook STORE = (wal, message) -> CompletableFuture.completedFuture(wal.store(message));

        CompletableFuture<MessageId> append(FakeWAL wal, MutableMessage message);
    }

    /** An append held by {@link #holdAppends()}: the test decides when and how it completes. */
    record Held(FakeWAL wal, MutableMessage message, CompletableFuture<MessageId> future) {
        void store() {
            future.complete(wal.store(message));
        }

        void fail(Throwable cause) {
            future.completeExceptionally(cause);
        }
    }

    /** @return the queue that receives every append from now on, uncompleted */
    BlockingQueue<Held> holdAppends() {
        BlockingQueue<Held> held = new LinkedBlockingQueue<>();
        hook = (wal, message) -> {
            CompletableFuture<MessageId> future = new CompletableFuture<>();
            held.add(new Held(wal, message, future));
            return future;
        };
        return held;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OpenerImpls build(WALConfig config) {
        events.add("build");
        return new FakeOpener();
    }

    @Override
    public MessageIdCodec messageIdCodec() {
        return CODEC;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(EnumSet.of(Durability.MEMORY), Durability.MEMORY, false, true, true, false,
                MAX_MESSAGE_BYTES);
    }

    /** @return every message stored on {@code channel}, in id order */
    List<ImmutableMessage> stored(String channel) {
        return log(channel).snapshot();
    }

    private Log log(String channel) {
        return logs.computeIfAbsent(channel, c -> new Log());
    }

    final class FakeOpener implements OpenerImpls {
        @Override
        public WALImpls open(OpenOption option) {
            events.add("open " + option.channel());
            FakeWAL wal = new FakeWAL(option.channel());
            wals.add(wal);
            return wal;
        }

        @Override
        public ReadOnlyWALImpls openReadOnly(OpenOption option) {
            events.add("openReadOnly " + option.channel());
            FakeWAL wal = new FakeWAL(option.channel());
            wals.add(wal);
            return wal;
        }

        @Override
        public void close() {
            events.add("close opener");
        }
    }

    final class FakeWAL implements WALImpls {
        final PChannelInfo channel;
        final AtomicInteger attempts = new AtomicInteger();
        final List<FakeScanner> scanners = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        FakeWAL(PChannelInfo channel) {
            this.channel = channel;
        }

        MessageId store(MutableMessage message) {
            return log(channel.name()).add(message);
        }

        @Override
        public String walName() {
            return NAME;
        }

        @Override
        public PChannelInfo channel() {
            return channel;
        }

        @Override
        public ScannerImpls read(ReadOptionImpls option) {
            FakeScanner scanner = new FakeScanner(option, log(channel.name()));
            scanners.add(scanner);
            return scanner;
        }

        @Override
        public CompletableFuture<MessageId> append(MutableMessage message, Durability durability) {
            attempts.incrementAndGet();
            if (closed) {
                return CompletableFuture.failedFuture(new WALClosedException("fake WAL " + channel + " closed"));
            }
            return hook.append(this, message);
        }

        @Override
        public CompletableFuture<Void> truncate(MessageId id) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                events.add("close " + channel);
                scanners.forEach(FakeScanner::close);
            }
        }
    }

    /** The stored messages of one channel; readers wait on a condition for more. */
    static final class Log {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        private final List<ImmutableMessage> entries = new ArrayList<>();

        MessageId add(MutableMessage message) {
            lock.lock();
            try {
                FakeId id = new FakeId(entries.size());
                entries.add(message.toImmutable(id));
                changed.signalAll();
                return id;
            } finally {
                lock.unlock();
            }
        }

        List<ImmutableMessage> snapshot() {
            lock.lock();
            try {
                return Collections.unmodifiableList(new ArrayList<>(entries));
            } finally {
                lock.unlock();
            }
        }

        int size() {
            lock.lock();
            try {
                return entries.size();
            } finally {
                lock.unlock();
            }
        }
    }

    static final class FakeScanner implements ScannerImpls {
        private final String name;
        private final Log log;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile boolean closed;
        private int position;

        FakeScanner(ReadOptionImpls option, Log log) {
            this.name = option.name();
            this.log = log;
            DeliverPolicy policy = option.deliverPolicy();
            if (policy instanceof DeliverPolicy.StartFrom from) {
                position = (int) ((FakeId) from.id()).seq;
            } else if (policy instanceof DeliverPolicy.StartAfter after) {
                position = (int) ((FakeId) after.id()).seq + 1;
            } else if (policy instanceof DeliverPolicy.Latest) {
                position = log.size();
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ImmutableMessage poll(Duration timeout) {
            long remaining = timeout.toNanos();
            log.lock.lock();
            try {
                while (!closed && position >= log.entries.size()) {
                    if (remaining <= 0) {
                        return null;
                    }
                    remaining = log.changed.awaitNanos(remaining);
                }
                return next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WALClosedException("fake scanner interrupted");
            } finally {
                log.lock.unlock();
            }
        }

        @Override
        public ImmutableMessage take() {
            log.lock.lock();
            try {
                while (!closed && position >= log.entries.size()) {
                    log.changed.await();
                }
                return next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WALClosedException("fake scanner interrupted");
            } finally {
                log.lock.unlock();
            }
        }

        private ImmutableMessage next() {
            if (closed) {
                throw new WALClosedException("fake scanner " + name + " closed");
            }
            return log.entries.get(position++);
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        /** Ends the scanner with a failure, as a backend does when its storage breaks. */
        void fail(RuntimeException cause) {
            done.completeExceptionally(cause);
        }

        @Override
        public void close() {
            log.lock.lock();
            try {
                closed = true;
                log.changed.signalAll();
            } finally {
                log.lock.unlock();
            }
            done.complete(null);
        }
    }

    /** Ids of the fake backend: the position in the channel's log. */
    static final class FakeId implements MessageId {
        final long seq;

        FakeId(long seq) {
            this.seq = seq;
        }

        @Override
        public String walName() {
            return NAME;
        }

        @Override
        public byte[] marshal() {
            return ByteBuffer.allocate(8).putLong(seq).array();
        }

        @Override
        public int compareTo(MessageId other) {
            if (!(other instanceof FakeId fake)) {
                throw new IllegalArgumentException("cannot compare " + this + " with " + other);
            }
            return Long.compare(seq, fake.seq);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FakeId f && f.seq == seq;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq);
        }

        @Override
        public String toString() {
            return NAME + ":" + seq;
        }
    }

    static final class Codec implements MessageIdCodec {
        @Override
        public String walName() {
            return NAME;
        }

        @Override
        public MessageId unmarshal(byte[] bytes) {
            if (bytes.length != 8) {
                throw new InvalidMessageIdException("expected 8 bytes, found " + bytes.length);
            }
            return new FakeId(ByteBuffer.wrap(bytes).getLong());
        }
    }
}
