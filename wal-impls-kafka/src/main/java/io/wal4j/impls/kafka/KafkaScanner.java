package io.wal4j.impls.kafka;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import io.wal4j.utility.NamedThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * Reads one channel's partition with a consumer of its own: manually assigned, no group, no committed offsets,
 * {@code read_committed} so only committed appends arrive (records of aborted transactions and the transaction
 * markers are skipped by the consumer, leaving gaps in the ids).
 *
 * <p>The consumer belongs to one fetch thread ({@code wal4j-kafka-scanner-<channel>-<n>}; {@code KafkaConsumer} is
 * single-threaded) that long-polls the broker, which blocks on the network without busy-polling, and hands the
 * records to a bounded buffer of about {@code readAhead} messages; it stops fetching while the buffer is full. The
 * consuming thread waits on the buffer's {@link Condition}. {@link #close()} wakes both: the fetch thread with
 * {@code KafkaConsumer.wakeup()}, after which it closes the consumer and ends.
 *
 * <p>Positions: a start offset that was truncated away, or lies past the end of the partition, makes the fetch fail
 * with out-of-range; the fetch thread then moves to the first retained offset or to the end, and never delivers an
 * offset below the requested start ({@code lowerBound}), so {@code startFrom(id)} of a missing id delivers the first
 * message with a greater id.
 *
 * <p>{@link #poll} and {@link #take} are for one consuming thread; {@link #close()}, {@link #done()} and
 * {@link #fail} for any thread.
 */
final class KafkaScanner implements ScannerImpls {

    /** A long poll: the fetch thread is woken by data or by close, not by this timeout. */
    private static final Duration LONG_POLL = Duration.ofMinutes(1);

    private final String name;
    private final PChannelInfo channel;
    private final TopicPartition partition;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long lowerBound;
    private final int readAhead;
    private final KafkaSettings settings;
    private final Consumer<KafkaScanner> onClose;
    private final Lifetime lifetime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ImmutableMessage> buffer = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread fetcher;
    private volatile WALException failure;

    private KafkaScanner(String name, PChannelInfo channel, TopicPartition partition,
                         KafkaConsumer<byte[], byte[]> consumer, long lowerBound, int readAhead,
                         KafkaSettings settings, String threadName, Consumer<KafkaScanner> onClose) {
        this.name = name;
        this.channel = channel;
        this.partition = partition;
        this.consumer = consumer;
        this.lowerBound = lowerBound;
        this.readAhead = readAhead;
        this.settings = settings;
        this.onClose = onClose;
        this.lifetime = new Lifetime("kafka scanner " + name + " on " + channel);
        this.fetcher = new NamedThreadFactory(threadName).newThread(this::fetch);
    }

    /**
     * Starts a scanner.
     *
     * @param consumer   assigned to {@code partition} and positioned; owned by the scanner's fetch thread from now on
     * @param lowerBound the smallest offset the scanner may deliver
     * @param threadName the fetch thread's name prefix
     * @param onClose    run once when closed: deregisters the scanner from its WAL
     */
    static KafkaScanner start(String name, PChannelInfo channel, TopicPartition partition,
                              KafkaConsumer<byte[], byte[]> consumer, long lowerBound, int readAhead,
                              KafkaSettings settings, String threadName, Consumer<KafkaScanner> onClose) {
        KafkaScanner scanner = new KafkaScanner(name, channel, partition, consumer, lowerBound, readAhead, settings,
                threadName, onClose);
        scanner.fetcher.start();
        return scanner;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * A zero or negative timeout returns a buffered message or null without waiting. An interrupted wait throws
     * {@link WALClosedException} and keeps the interrupt.
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    @Override
    public ImmutableMessage poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        return next(nanos);
    }

    @Override
    public ImmutableMessage take() {
        return next(Long.MAX_VALUE);
    }

    private ImmutableMessage next(long timeoutNanos) {
        long remaining = timeoutNanos;
        lock.lock();
        try {
            while (true) {
                checkRunning();
                ImmutableMessage message = buffer.poll();
                if (message != null) {
                    changed.signalAll();
                    return message;
                }
                if (remaining <= 0) {
                    return null;
                }
                if (timeoutNanos == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    remaining = changed.awaitNanos(remaining);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WALClosedException("kafka scanner " + name + " on " + channel
                    + " was interrupted while waiting", e);
        } finally {
            lock.unlock();
        }
    }

    private void checkRunning() {
        if (lifetime.isClosed()) {
            throw new WALClosedException("kafka scanner " + name + " on " + channel + " is closed",
                    lifetime.closedBy());
        }
        WALException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    private boolean stopped() {
        return lifetime.isClosed() || failure != null;
    }

    /** The fetch thread: poll, buffer, repeat until stopped; then close the consumer. */
    private void fetch() {
        try {
            while (awaitRoom()) {
                try {
                    buffer(consumer.poll(LONG_POLL));
                } catch (OffsetOutOfRangeException e) {
                    reposition();
                }
            }
        } catch (WakeupException e) {
            // close() or fail() woke the poll: the loop's condition ends the thread.
        } catch (KafkaException e) {
            fail(KafkaErrors.storage("reading " + partition + " by scanner " + name, settings, e));
        } catch (InterruptedException e) {
            fail(new WALClosedException("the fetch thread of kafka scanner " + name + " was interrupted", e));
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            } catch (RuntimeException e) {
                // A consumer without a group holds sockets only; failing to close it loses nothing.
            }
        }
    }

    /** @return false once stopped; waits while the buffer holds {@code readAhead} messages or more */
    private boolean awaitRoom() throws InterruptedException {
        lock.lock();
        try {
            while (!stopped() && buffer.size() >= readAhead) {
                changed.await();
            }
            return !stopped();
        } finally {
            lock.unlock();
        }
    }

    private void buffer(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (record.offset() >= lowerBound) {
                    buffer.add(toMessage(record));
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The position fell outside the retained range: go to its nearest end; {@code lowerBound} filters the rest. */
    private void reposition() {
        List<TopicPartition> partitions = List.of(partition);
        long position = consumer.position(partition, settings.requestTimeout());
        long first = consumer.beginningOffsets(partitions, settings.requestTimeout()).get(partition);
        if (position < first) {
            consumer.seek(partition, first);
        } else {
            long end = consumer.endOffsets(partitions, settings.requestTimeout()).get(partition);
            consumer.seek(partition, Math.max(first, Math.min(position, end)));
        }
    }

    /** @return the message of {@code record}: payload = value, properties = headers (UTF-8 values) */
    static ImmutableMessage toMessage(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> properties = new HashMap<>();
        for (Header header : record.headers()) {
            byte[] value = header.value();
            properties.put(header.key(), value == null ? "" : new String(value, StandardCharsets.UTF_8));
        }
        byte[] payload = record.value() == null ? new byte[0] : record.value();
        return ImmutableMessage.of(KafkaMessageId.of(record.offset()), payload, properties);
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Ends the scanner with {@code cause}: a blocked consumer wakes and throws it, {@link #done()} fails with it. */
    void fail(WALException cause) {
        lock.lock();
        try {
            if (failure != null || lifetime.isClosed()) {
                return;
            }
            failure = cause;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        done.completeExceptionally(cause);
        consumer.wakeup();
    }

    /** Stops fetching, wakes a blocked consumer, and waits (bounded) for the fetch thread to close the consumer. */
    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        lock.lock();
        try {
            buffer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        consumer.wakeup();
        done.complete(null);
        try {
            if (Thread.currentThread() != fetcher) {
                fetcher.join(settings.requestTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "KafkaScanner{" + name + " on " + channel + "}";
    }
}
