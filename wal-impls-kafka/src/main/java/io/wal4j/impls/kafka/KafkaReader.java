package io.wal4j.impls.kafka;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.helper.ChannelCore;
import io.wal4j.spi.helper.ScannerHelper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * How a Kafka WAL, read-write or read-only, reads its channel's partition: the storage half of its
 * {@link ChannelCore}, which holds the lifetime and the live scanners. Each scanner gets a consumer of its own and a
 * {@link KafkaFetcher}. Stateless; thread-safe.
 */
final class KafkaReader implements ChannelCore.Reader<ScannerHelper> {

    private final KafkaSettings settings;
    private final PChannelInfo channel;
    private final TopicPartition partition;

    KafkaReader(KafkaSettings settings, PChannelInfo channel, TopicPartition partition) {
        this.settings = settings;
        this.channel = channel;
        this.partition = partition;
    }

    /**
     * Creates a scanner with a consumer of its own, positioned as the policy says. A {@code latest()} scanner looks
     * its position up now (the committed end of the partition), so appends that complete after this call returns
     * are delivered.
     *
     * @throws io.wal4j.api.WALStorageException if the consumer cannot be positioned
     */
    @Override
    public ScannerHelper open(ReadOptionImpls option, Runnable onClose) {
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
        return KafkaFetcher.start(option, partition, consumer, lowerBound, settings,
                "wal4j-kafka-scanner-" + channel.name(), onClose);
    }

    /** Reads a short window before the committed end of the partition; see {@code KafkaLastMessage}. */
    @Override
    public Optional<ImmutableMessage> readLast() {
        return KafkaLastMessage.read(partition, settings);
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
}
