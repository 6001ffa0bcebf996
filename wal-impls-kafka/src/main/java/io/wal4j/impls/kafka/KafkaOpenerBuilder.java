package io.wal4j.impls.kafka;

import io.wal4j.api.ConfigKey;
import io.wal4j.api.Durability;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The Kafka backend, registered as {@value #NAME} through {@code META-INF/services}: each channel is one topic with
 * one partition on an existing Kafka cluster (4.x brokers; older brokers that support transactions work too). The id
 * of a message is its offset; see {@code README.md} of this module for the mapping of every SPI rule onto Kafka.
 *
 * <p>Configuration keys, all under {@value #PREFIX} and checked with {@link WALConfig#requireKnown}:
 * <ul>
 *   <li>{@link #BOOTSTRAP_SERVERS} {@code wal.kafka.bootstrap-servers} (required): {@code host:port,host:port};</li>
 *   <li>{@link #TOPIC_PREFIX} {@code wal.kafka.topic-prefix} (default {@code wal4j-}): topic = prefix + channel;</li>
 *   <li>{@link #REPLICATION_FACTOR} {@code wal.kafka.replication-factor} (default 3) and
 *       {@link #MIN_INSYNC_REPLICAS} {@code wal.kafka.min-insync-replicas} (default 2): for topics this backend
 *       creates;</li>
 *   <li>{@link #ALLOW_UNREPLICATED} {@code wal.kafka.allow-unreplicated} (default false): must be set to accept
 *       {@code min-insync-replicas < 2}, where an acknowledged append is held by one broker only;</li>
 *   <li>{@link #REQUEST_TIMEOUT} {@code wal.kafka.request-timeout} (default 30s): admin calls, the reachability
 *       check at build, the producer's blocking calls, a closing writer's last commit;</li>
 *   <li>{@link #MAX_MESSAGE_BYTES} {@code wal.kafka.max-message-bytes} (default 1 MiB);</li>
 *   <li>{@link #MAX_BATCH_MESSAGES} {@code wal.kafka.max-batch-messages} (default 1000): appends per
 *       transaction;</li>
 *   <li>pass-through client properties {@value #PRODUCER_PREFIX}{@code *}, {@value #CONSUMER_PREFIX}{@code *},
 *       {@value #ADMIN_PREFIX}{@code *} (for example {@code wal.kafka.producer.linger.ms=2}, security settings).
 *       The properties the backend's guarantees rest on (acks, idempotence, transactional id, isolation level,
 *       serializers, group and offset settings, bootstrap servers) are refused there.</li>
 * </ul>
 *
 * <p>Thread-safe and stateless; the constructor does nothing.
 */
public final class KafkaOpenerBuilder implements OpenerBuilderImpls {

    /** The backend's registry name and the {@code walName} of its ids. */
    public static final String NAME = "kafka";

    /** The prefix of every key of this backend. */
    public static final String PREFIX = "wal." + NAME + ".";

    /** Producer properties passed to Kafka as they are, with this prefix removed. */
    public static final String PRODUCER_PREFIX = PREFIX + "producer.";
    /** Consumer properties passed to Kafka as they are, with this prefix removed. */
    public static final String CONSUMER_PREFIX = PREFIX + "consumer.";
    /** Admin client properties passed to Kafka as they are, with this prefix removed. */
    public static final String ADMIN_PREFIX = PREFIX + "admin.";

    /** The cluster to use: a comma-separated list of {@code host:port}. Required. */
    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.ofString(PREFIX + "bootstrap-servers", null,
            "the Kafka cluster, as host:port[,host:port...]; required");

    /** The start of every topic name; the channel name follows. */
    public static final ConfigKey<String> TOPIC_PREFIX = ConfigKey.ofString(PREFIX + "topic-prefix", "wal4j-",
            "start of every topic name (topic = prefix + channel); at most 49 characters of [A-Za-z0-9._-]");

    /** The replication factor of topics the backend creates. */
    public static final ConfigKey<Integer> REPLICATION_FACTOR = ConfigKey.ofInt(PREFIX + "replication-factor", 3, 1,
            Short.MAX_VALUE, "replication factor of the topics this backend creates");

    /** {@code min.insync.replicas} of topics the backend creates. */
    public static final ConfigKey<Integer> MIN_INSYNC_REPLICAS = ConfigKey.ofInt(PREFIX + "min-insync-replicas", 2, 1,
            Short.MAX_VALUE, "min.insync.replicas of the topics this backend creates: how many replicas hold an "
                    + "append before it is acknowledged (acks=all)");

    /** Whether {@code min-insync-replicas < 2} is accepted. */
    public static final ConfigKey<Boolean> ALLOW_UNREPLICATED = ConfigKey.ofBoolean(PREFIX + "allow-unreplicated",
            false, "accept min-insync-replicas below 2, where an acknowledged append lives on one broker only "
                    + "(development clusters); appends still report REPLICATED, which is then not true");

    /** How long administrative and blocking client calls wait. */
    public static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.ofDuration(PREFIX + "request-timeout",
            Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1),
            "how long admin calls, the reachability check at build, the producer's blocking calls "
                    + "(max.block.ms) and a closing writer's last commit wait");

    /** The largest message accepted, in bytes; the default is also {@link Capabilities#maxMessageBytes()}. */
    public static final ConfigKey<Long> MAX_MESSAGE_BYTES = ConfigKey.ofSize(PREFIX + "max-message-bytes",
            1L << 20, 1, 64L << 20, "largest message (payload plus properties, UTF-8) an append accepts; topics "
                    + "this backend creates allow it plus " + KafkaSettings.RECORD_OVERHEAD_BYTES + " bytes");

    /** How many appends one transaction carries at most. */
    public static final ConfigKey<Integer> MAX_BATCH_MESSAGES = ConfigKey.ofInt(PREFIX + "max-batch-messages", 1000,
            1, 1_000_000, "how many pending appends the writer commits in one Kafka transaction at most");

    /** Every key of this backend. */
    public static final List<ConfigKey<?>> KEYS = List.of(BOOTSTRAP_SERVERS, TOPIC_PREFIX, REPLICATION_FACTOR,
            MIN_INSYNC_REPLICAS, ALLOW_UNREPLICATED, REQUEST_TIMEOUT, MAX_MESSAGE_BYTES, MAX_BATCH_MESSAGES);

    static final Capabilities CAPABILITIES = new Capabilities(EnumSet.of(Durability.REPLICATED),
            Durability.REPLICATED, true, true, true, true, MAX_MESSAGE_BYTES.defaultValue());

    private static final KafkaMessageIdCodec CODEC = new KafkaMessageIdCodec();

    /** Creates the builder; for {@link java.util.ServiceLoader}. Does nothing. */
    public KafkaOpenerBuilder() {
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Connects an admin client to the cluster and checks that it answers within {@link #REQUEST_TIMEOUT}.
     *
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException naming the key for an unknown key under {@value #PREFIX}, a missing
     *                                  bootstrap list, a malformed value or a refused pass-through property
     * @throws io.wal4j.api.WALStorageException naming the servers tried when the cluster cannot be reached in time
     */
    @Override
    public OpenerImpls build(WALConfig config) {
        Objects.requireNonNull(config, "config");
        return KafkaOpener.open(KafkaSettings.from(config));
    }

    /** @return the shared, stateless codec of {@link KafkaMessageId}s */
    @Override
    public MessageIdCodec messageIdCodec() {
        return CODEC;
    }

    /**
     * @return durability {@code REPLICATED} only (acks=all with min.insync.replicas), truncation (delete-records),
     *     fencing (transactional producer epochs), read-only WALs, cross-process readers, and the default
     *     {@link #MAX_MESSAGE_BYTES}
     */
    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String toString() {
        return "KafkaOpenerBuilder";
    }
}
