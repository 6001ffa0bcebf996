package io.wal4j.impls.kafka;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.spi.helper.ChannelCore;
import io.wal4j.spi.helper.ChannelWAL;
import io.wal4j.spi.helper.OpenerLifetime;
import io.wal4j.spi.helper.ScannerHelper;
import io.wal4j.utility.ExponentialBackoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens channels on one Kafka cluster through one shared admin client. Each writer gets a transactional producer of
 * its own (transactional id = the channel's topic), each scanner a consumer of its own.
 *
 * <p>Opening a writer: create the topic if absent (one partition, the configured replication factor and
 * {@code min.insync.replicas}); refuse the open with {@link ChannelFencedException} if a higher term is recorded for
 * the channel ({@link KafkaTerms}); initialise the producer's transactions, which fences any older producer of the
 * channel (its open transaction is aborted, its later appends fail); record the new term. Costs a few round trips,
 * and one transaction, per open.
 *
 * <p>Thread-safe. {@link #close()} refuses new opens, waits for opens in flight, closes every WAL it opened that is
 * still open, newest first, then the admin client. Idempotent; never throws.
 */
final class KafkaOpener implements OpenerImpls {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOpener.class);

    private final KafkaSettings settings;
    private final Admin admin;
    private final Capabilities capabilities;
    private final OpenerLifetime<ChannelCore<ScannerHelper>> lifetime;

    private KafkaOpener(KafkaSettings settings, Admin admin) {
        this.settings = settings;
        this.admin = admin;
        this.capabilities = KafkaOpenerBuilder.CAPABILITIES.withMaxMessageBytes(settings.maxMessageBytes());
        this.lifetime = new OpenerLifetime<>("kafka opener on " + settings.servers());
    }

    /**
     * Creates the admin client and checks that the cluster answers within the request timeout.
     *
     * @throws IllegalArgumentException naming the key if Kafka refuses a client property or the server list
     * @throws WALStorageException      naming the servers tried if the cluster does not answer in time
     */
    static KafkaOpener open(KafkaSettings settings) {
        Admin admin;
        try {
            admin = Admin.create(settings.adminProperties());
        } catch (KafkaException e) {
            throw invalidClientConfig(settings, e);
        }
        try {
            String clusterId = admin.describeCluster(new DescribeClusterOptions().timeoutMs(settings.timeoutMillis()))
                    .clusterId().get(settings.timeoutMillis() + 1000L, TimeUnit.MILLISECONDS);
            LOG.debug("connected to Kafka cluster {} at {}", clusterId, settings.servers());
            return new KafkaOpener(settings, admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close(Duration.ZERO);
            throw new WALStorageException("interrupted while connecting to the Kafka cluster at "
                    + settings.servers(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            admin.close(Duration.ZERO);
            Throwable cause = KafkaErrors.unwrap(e);
            throw new WALStorageException("cannot reach the Kafka cluster at " + settings.servers() + " (from "
                    + KafkaOpenerBuilder.BOOTSTRAP_SERVERS.name() + ") within " + settings.requestTimeout() + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }

    private static RuntimeException invalidClientConfig(KafkaSettings settings, KafkaException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config && String.valueOf(config.getMessage()).contains("resolvable")) {
                // Kafka checks DNS when the client is created: no server name resolves, so none can be reached.
                return new WALStorageException("cannot reach the Kafka cluster at " + settings.servers() + " (from "
                        + KafkaOpenerBuilder.BOOTSTRAP_SERVERS.name() + "): " + config.getMessage(), e);
            }
            if (t instanceof ConfigException config) {
                return new IllegalArgumentException("Kafka refused the client configuration built from "
                        + KafkaOpenerBuilder.BOOTSTRAP_SERVERS.name() + "=\"" + settings.bootstrapServers()
                        + "\" and " + KafkaOpenerBuilder.ADMIN_PREFIX + "*: " + config.getMessage(), e);
            }
        }
        return KafkaErrors.storage("creating the admin client", settings, e);
    }

    /**
     * Opens the channel for writing; see the class comment.
     *
     * @throws NullPointerException     if {@code option} is null
     * @throws IllegalArgumentException if the option is read-only
     * @throws WALClosedException       if the opener is closed
     * @throws ChannelFencedException   if a higher term is recorded for the channel
     * @throws WALStorageException      if the cluster fails or does not answer in time
     */
    @Override
    public WALImpls open(OpenOption option) {
        return lifetime.openReadWrite(option, channel -> {
            TopicPartition partition = new TopicPartition(settings.topic(channel.name()), 0);
            ensureTopic(partition.topic());
            checkTerm(channel, partition);
            KafkaWriter writer = KafkaWriter.start(channel, initProducer(channel, partition), settings,
                    () -> KafkaTerms.readAsync(admin, partition));
            ChannelCore<ScannerHelper> core = track(new ChannelCore<>(KafkaOpenerBuilder.NAME, channel,
                    new KafkaReader(settings, channel, partition), () -> writer.close(settings.requestTimeout()),
                    lifetime::forget));
            LOG.debug("opened kafka WAL {} on topic {}", channel, partition.topic());
            return new ChannelWAL(core, capabilities, new KafkaWrites(partition, writer, admin, settings));
        });
    }

    private void checkTerm(PChannelInfo channel, TopicPartition partition) {
        long recorded;
        try {
            recorded = KafkaTerms.read(admin, partition, settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WALStorageException("interrupted while reading the term of " + channel, e);
        } catch (Exception e) {
            if (KafkaErrors.unwrap(e) instanceof GroupIdNotFoundException) {
                return;
            }
            throw KafkaErrors.storage("reading the term of " + channel + " (group "
                    + KafkaTerms.group(partition.topic()) + ")", settings, e);
        }
        if (recorded > channel.term()) {
            throw new ChannelFencedException(channel.name(), channel.term(), "a writer at term " + recorded
                    + " has already opened the channel");
        }
    }

    private KafkaProducer<byte[], byte[]> initProducer(PChannelInfo channel, TopicPartition partition) {
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(settings.producerProperties(partition.topic()));
        } catch (KafkaException e) {
            throw new IllegalArgumentException("Kafka refused the producer configuration built from "
                    + KafkaOpenerBuilder.PRODUCER_PREFIX + "*: " + KafkaErrors.unwrap(e).getMessage(), e);
        }
        try {
            producer.initTransactions();
            KafkaTerms.record(producer, partition, channel.term());
            return producer;
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            if (KafkaErrors.isFenced(e)) {
                throw new ChannelFencedException(channel.name(), channel.term(), "another writer opened the channel "
                        + "while this one was opening");
            }
            throw KafkaErrors.storage("starting the writer of " + channel + " (transactional id "
                    + partition.topic() + ")", settings, e);
        }
    }

    /**
     * Creates the channel's topic unless it exists; refuses an existing topic with more than one partition. A topic
     * that another client created a moment ago may not be described yet (metadata propagates asynchronously): when
     * creating it reports that it exists, the description is retried, with backoff, until the request timeout.
     */
    private void ensureTopic(String topic) {
        Optional<TopicDescription> existing = describe(topic);
        if (existing.isEmpty()) {
            if (createTopic(topic)) {
                return;
            }
            existing = awaitDescription(topic);
        }
        int partitions = existing.get().partitions().size();
        if (partitions != 1) {
            throw new WALStorageException("topic " + topic + " on the Kafka cluster at " + settings.servers()
                    + " has " + partitions + " partitions; a wal4j channel needs exactly one (ids are offsets of one "
                    + "partition)");
        }
    }

    /** @return the topic's description, or empty if the cluster does not know it (yet) */
    private Optional<TopicDescription> describe(String topic) {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(settings.timeoutMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (KafkaErrors.unwrap(e) instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw KafkaErrors.storage("describing topic " + topic, settings, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WALStorageException("interrupted while describing topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw KafkaErrors.storage("describing topic " + topic + " within " + settings.requestTimeout(), settings,
                    e);
        }
    }

    private Optional<TopicDescription> awaitDescription(String topic) {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(500), 2);
        while (true) {
            Optional<TopicDescription> description = describe(topic);
            if (description.isPresent()) {
                return description;
            }
            if (System.nanoTime() >= deadline) {
                throw new WALStorageException("topic " + topic + " exists on the Kafka cluster at "
                        + settings.servers() + " but could not be described within " + settings.requestTimeout());
            }
            // A retry backoff, not a synchronisation: nothing signals when the cluster's metadata catches up.
            LockSupport.parkNanos(backoff.next().toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new WALStorageException("interrupted while waiting for the description of topic " + topic);
            }
        }
    }

    /** @return true if this call created the topic, false if it already existed */
    private boolean createTopic(String topic) {
        NewTopic newTopic = new NewTopic(topic, 1, (short) settings.replicationFactor()).configs(Map.of(
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Long.toString(settings.maxMessageBytes() + KafkaSettings.RECORD_OVERHEAD_BYTES)));
        try {
            admin.createTopics(List.of(newTopic)).all().get(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created topic {} (replication factor {}, min.insync.replicas {})", topic,
                    settings.replicationFactor(), settings.minInsyncReplicas());
            return true;
        } catch (ExecutionException e) {
            if (KafkaErrors.unwrap(e) instanceof TopicExistsException) {
                return false;
            }
            throw KafkaErrors.storage("creating topic " + topic, settings, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WALStorageException("interrupted while creating topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw KafkaErrors.storage("creating topic " + topic + " within " + settings.requestTimeout(), settings,
                    e);
        }
    }

    /**
     * Opens the channel for reading at any term, creating its topic if absent so a reader may wait for the first
     * writer. A read-write option is accepted and opened read-only.
     *
     * @throws NullPointerException if {@code option} is null
     * @throws WALClosedException   if the opener is closed
     * @throws WALStorageException  if the cluster fails or does not answer in time
     */
    @Override
    public ReadOnlyWALImpls openReadOnly(OpenOption option) {
        return lifetime.openReadOnly(option, channel -> {
            TopicPartition partition = new TopicPartition(settings.topic(channel.name()), 0);
            ensureTopic(partition.topic());
            return track(new ChannelCore<>(KafkaOpenerBuilder.NAME, channel,
                    new KafkaReader(settings, channel, partition), () -> { }, lifetime::forget));
        });
    }

    /** @return the builder's capabilities with this opener's {@code wal.kafka.max-message-bytes} */
    @Override
    public Optional<Capabilities> capabilities() {
        return Optional.of(capabilities);
    }

    private ChannelCore<ScannerHelper> track(ChannelCore<ScannerHelper> core) {
        lifetime.track(core);
        return core;
    }

    /** Closes every WAL still open (newest first), then the admin client. Idempotent; never throws. */
    @Override
    public void close() {
        if (!lifetime.close()) {
            return;
        }
        try {
            admin.close(settings.requestTimeout());
        } catch (RuntimeException e) {
            LOG.debug("closing the admin client failed", e);
        }
        LOG.debug("closed kafka opener on {}", settings.servers());
    }

    @Override
    public String toString() {
        return "KafkaOpener{" + settings.servers() + "}";
    }
}
