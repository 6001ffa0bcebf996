package io.wal4j.impls.kafka;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * What a read-write and a read-only Kafka WAL share: the channel, its partition, the lifetime guard and the live
 * scanners. {@link KafkaWAL} and {@link KafkaReadOnlyWAL} hold one each (composition, so that a read-only WAL is not
 * a {@code WALImpls}). Thread-safe.
 */
final class KafkaWALCore {

    private final KafkaSettings settings;
    private final PChannelInfo channel;
    private final TopicPartition partition;
    private final Lifetime lifetime;
    private final Set<KafkaScanner> scanners = ConcurrentHashMap.newKeySet();
    private final Runnable release;
    private final Consumer<KafkaWALCore> onClose;

    /**
     * @param release run once by the first {@link #close}, before the scanners close: lets the writer drain
     * @param onClose run once by the first {@link #close}, after the scanners: deregisters from the opener
     */
    KafkaWALCore(KafkaSettings settings, PChannelInfo channel, TopicPartition partition, Runnable release,
                 Consumer<KafkaWALCore> onClose) {
        this.settings = settings;
        this.channel = channel;
        this.partition = partition;
        this.release = release;
        this.onClose = onClose;
        this.lifetime = new Lifetime("kafka WAL " + channel);
    }

    PChannelInfo channel() {
        return channel;
    }

    TopicPartition partition() {
        return partition;
    }

    Lifetime lifetime() {
        return lifetime;
    }

    /** @return the exception for a call that arrives after {@link #close} */
    WALClosedException closedException() {
        return new WALClosedException("kafka WAL " + channel + " is closed", lifetime.closedBy());
    }

    /**
     * Creates a scanner with a consumer of its own, positioned as the policy says. A {@code latest()} scanner looks
     * its position up now (the committed end of the partition), so appends that complete after this call returns
     * are delivered.
     *
     * @see io.wal4j.spi.ReadOnlyWALImpls#read
     */
    ScannerImpls read(ReadOptionImpls option) {
        Objects.requireNonNull(option, "option");
        if (!lifetime.tryEnter()) {
            throw closedException();
        }
        try {
            DeliverPolicy policy = option.deliverPolicy();
            long lowerBound = lowerBound(policy);
            String clientId = "wal4j-kafka-scanner-" + partition.topic();
            KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(settings.consumerProperties(clientId, option.readAhead()));
            try {
                position(consumer, policy, lowerBound);
            } catch (KafkaException e) {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
                throw KafkaErrors.storage("positioning scanner " + option.name() + " on " + partition, settings, e);
            }
            KafkaScanner scanner = KafkaScanner.start(option.name(), channel, partition, consumer, lowerBound,
                    option.readAhead(), settings, "wal4j-kafka-scanner-" + channel.name(), scanners::remove);
            scanners.add(scanner);
            return scanner;
        } finally {
            lifetime.exit();
        }
    }

    /**
     * @see io.wal4j.spi.ReadOnlyWALImpls#readLast
     * @throws WALClosedException if closed
     */
    Optional<ImmutableMessage> readLast() {
        if (!lifetime.tryEnter()) {
            throw closedException();
        }
        try {
            return KafkaLastMessage.read(partition, settings);
        } finally {
            lifetime.exit();
        }
    }

    private static long lowerBound(DeliverPolicy policy) {
        if (policy instanceof DeliverPolicy.StartFrom from) {
            return KafkaMessageId.require(from.id()).offset();
        }
        if (policy instanceof DeliverPolicy.StartAfter after) {
            long offset = KafkaMessageId.require(after.id()).offset();
            return offset == Long.MAX_VALUE ? offset : offset + 1;
        }
        return 0;
    }

    private void position(KafkaConsumer<byte[], byte[]> consumer, DeliverPolicy policy, long lowerBound) {
        List<TopicPartition> partitions = List.of(partition);
        consumer.assign(partitions);
        if (policy instanceof DeliverPolicy.Latest) {
            consumer.seekToEnd(partitions);
            // Resolve now: a lazy lookup at the first poll would skip appends made in between.
            consumer.position(partition, settings.requestTimeout());
        } else if (policy instanceof DeliverPolicy.All) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seek(partition, lowerBound);
        }
    }

    /**
     * Closes the WAL: refuses new calls, waits for calls in flight, runs {@code release} (the writer drains), then
     * closes every scanner. Idempotent; never throws.
     */
    void close() {
        if (!lifetime.close()) {
            return;
        }
        lifetime.awaitQuiescent();
        try {
            release.run();
        } finally {
            for (KafkaScanner scanner : List.copyOf(scanners)) {
                scanner.close();
            }
            onClose.accept(this);
        }
    }
}
