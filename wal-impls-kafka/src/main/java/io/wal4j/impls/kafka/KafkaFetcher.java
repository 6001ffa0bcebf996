package io.wal4j.impls.kafka;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.helper.ScannerHelper;
import io.wal4j.utility.NamedThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * The read loop of one Kafka scanner: the producer side of a {@link ScannerHelper}, which is the scanner the caller
 * gets (bounded hand-off of {@code readAhead} messages, cancellation, the finish future). The consumer is manually
 * assigned, with no group and no committed offsets, and {@code read_committed}, so only committed appends arrive
 * (records of aborted transactions and the transaction markers are skipped by the consumer, leaving gaps in the ids).
 *
 * <p>The consumer belongs to one fetch thread ({@code wal4j-kafka-scanner-<channel>-<n>}; {@code KafkaConsumer} is
 * single-threaded) that long-polls the broker, which blocks on the network without busy-polling, and offers each
 * record to the helper, waiting while its buffer is full. Closing the scanner wakes the thread with
 * {@code KafkaConsumer.wakeup()}; it then closes the consumer and finishes, which the close waits for (at most the
 * request timeout). A Kafka failure ends the scanner with a {@link io.wal4j.api.WALStorageException} after the
 * messages already handed over.
 *
 * <p>Positions: a start offset that was truncated away, or lies past the end of the partition, makes the fetch fail
 * with out-of-range; the fetch thread then moves to the first retained offset or to the end, and never delivers an
 * offset below the requested start ({@code lowerBound}), so {@code startFrom(id)} of a missing id delivers the first
 * message with a greater id.
 */
final class KafkaFetcher {

    /** A long poll: the fetch thread is woken by data or by close, not by this timeout. */
    private static final Duration LONG_POLL = Duration.ofMinutes(1);

    private final String name;
    private final TopicPartition partition;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long lowerBound;
    private final KafkaSettings settings;
    private final ScannerHelper helper;

    private KafkaFetcher(String name, TopicPartition partition, KafkaConsumer<byte[], byte[]> consumer,
                         long lowerBound, KafkaSettings settings, ScannerHelper helper) {
        this.name = name;
        this.partition = partition;
        this.consumer = consumer;
        this.lowerBound = lowerBound;
        this.settings = settings;
        this.helper = helper;
    }

    /**
     * Starts a scanner.
     *
     * @param consumer   assigned to {@code partition} and positioned; owned by the fetch thread from now on
     * @param lowerBound the smallest offset the scanner may deliver
     * @param threadName the fetch thread's name prefix
     * @param onClose    run once when the scanner is closed: deregisters it from its WAL
     * @return the scanner
     */
    static ScannerHelper start(ReadOptionImpls option, TopicPartition partition,
                               KafkaConsumer<byte[], byte[]> consumer, long lowerBound, KafkaSettings settings,
                               String threadName, Runnable onClose) {
        ScannerHelper helper = new ScannerHelper(option.name(), option.readAhead(), settings.requestTimeout());
        KafkaFetcher fetcher = new KafkaFetcher(option.name(), partition, consumer, lowerBound, settings, helper);
        Thread thread = new NamedThreadFactory(threadName).newThread(fetcher::fetch);
        helper.onCancel(consumer::wakeup);
        helper.onCancel(onClose);
        thread.start();
        return helper;
    }

    /** The fetch thread: poll, hand over, repeat until cancelled or failed; then close the consumer and finish. */
    private void fetch() {
        Throwable failure = null;
        try {
            boolean running = true;
            while (running && !helper.isCancelled()) {
                running = handOver();
            }
        } catch (WakeupException e) {
            // The scanner was closed: wakeup() ended the poll.
        } catch (KafkaException e) {
            failure = KafkaErrors.storage("reading " + partition + " by scanner " + name, settings, e);
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            } catch (RuntimeException e) {
                // A consumer without a group holds sockets only; failing to close it loses nothing.
            }
            helper.finish(failure);
        }
    }

    /** @return false if the scanner was cancelled (or the thread interrupted) while handing a record over */
    private boolean handOver() {
        try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(LONG_POLL).records(partition)) {
                if (record.offset() >= lowerBound && !helper.offer(toMessage(record))) {
                    return false;
                }
            }
        } catch (OffsetOutOfRangeException e) {
            reposition();
        }
        return true;
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
}
