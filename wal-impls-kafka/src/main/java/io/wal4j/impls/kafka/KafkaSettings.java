package io.wal4j.impls.kafka;

import io.wal4j.api.WALConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The validated configuration of one opener and the client properties derived from it. The properties this backend's
 * guarantees rest on are set here last, after the pass-through ones, and the pass-through prefixes refuse them, so a
 * user setting can never weaken them silently. Immutable and thread-safe.
 *
 * @param bootstrapServers   the cluster, as configured
 * @param topicPrefix        the start of every topic name
 * @param replicationFactor  replication factor of created topics
 * @param minInsyncReplicas  min.insync.replicas of created topics
 * @param requestTimeout     admin calls, reachability check, producer max.block.ms
 * @param maxMessageBytes    the largest message an append accepts
 * @param maxBatchMessages   appends per transaction at most
 * @param producerOverrides  pass-through producer properties
 * @param consumerOverrides  pass-through consumer properties
 * @param adminOverrides     pass-through admin properties
 */
record KafkaSettings(String bootstrapServers, String topicPrefix, int replicationFactor, int minInsyncReplicas,
                     Duration requestTimeout, long maxMessageBytes, int maxBatchMessages,
                     Map<String, String> producerOverrides, Map<String, String> consumerOverrides,
                     Map<String, String> adminOverrides) {

    /** Room for the record and batch framing around a message of {@code maxMessageBytes}. */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    /** Numbers the clients of this JVM so that their ids, and so their metrics, never clash. */
    private static final AtomicLong CLIENT_SEQUENCE = new AtomicLong();

    /** Kafka's limit on topic names. */
    private static final int MAX_TOPIC_LENGTH = 249;
    private static final Pattern TOPIC_CHARS = Pattern.compile("[A-Za-z0-9._-]*");

    private static final Set<String> PROTECTED_PRODUCER = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    private static final Set<String> PROTECTED_CONSUMER = Set.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    private static final Set<String> PROTECTED_ADMIN = Set.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);

    /**
     * Reads and checks every key under {@value KafkaOpenerBuilder#PREFIX}.
     *
     * @throws IllegalArgumentException naming the key when one is unknown, missing, malformed or refused
     */
    static KafkaSettings from(WALConfig config) {
        config.requireKnown(KafkaOpenerBuilder.PREFIX, KafkaOpenerBuilder.KEYS, KafkaOpenerBuilder.PRODUCER_PREFIX,
                KafkaOpenerBuilder.CONSUMER_PREFIX, KafkaOpenerBuilder.ADMIN_PREFIX);
        String servers = config.get(KafkaOpenerBuilder.BOOTSTRAP_SERVERS);
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("configuration key " + KafkaOpenerBuilder.BOOTSTRAP_SERVERS.name()
                    + " is required: " + KafkaOpenerBuilder.BOOTSTRAP_SERVERS.doc());
        }
        String prefix = config.get(KafkaOpenerBuilder.TOPIC_PREFIX);
        int maxPrefix = MAX_TOPIC_LENGTH - io.wal4j.api.PChannelInfo.MAX_NAME_LENGTH;
        if (prefix.length() > maxPrefix || !TOPIC_CHARS.matcher(prefix).matches()) {
            throw new IllegalArgumentException("invalid value \"" + prefix + "\" for configuration key "
                    + KafkaOpenerBuilder.TOPIC_PREFIX.name() + ": expected at most " + maxPrefix
                    + " characters of [A-Za-z0-9._-]");
        }
        int replication = config.get(KafkaOpenerBuilder.REPLICATION_FACTOR);
        int minInsync = config.get(KafkaOpenerBuilder.MIN_INSYNC_REPLICAS);
        if (minInsync > replication) {
            throw new IllegalArgumentException("configuration key " + KafkaOpenerBuilder.MIN_INSYNC_REPLICAS.name()
                    + " is " + minInsync + ", more than " + KafkaOpenerBuilder.REPLICATION_FACTOR.name() + " "
                    + replication + ": no append could ever be acknowledged");
        }
        if (minInsync < 2 && !config.get(KafkaOpenerBuilder.ALLOW_UNREPLICATED)) {
            throw new IllegalArgumentException("configuration key " + KafkaOpenerBuilder.MIN_INSYNC_REPLICAS.name()
                    + " is " + minInsync + ": an acknowledged append would live on one broker only, which is not "
                    + "REPLICATED durability; set " + KafkaOpenerBuilder.ALLOW_UNREPLICATED.name()
                    + "=true to accept that (development clusters)");
        }
        KafkaSettings settings = new KafkaSettings(servers.trim(), prefix, replication, minInsync,
                config.get(KafkaOpenerBuilder.REQUEST_TIMEOUT), config.get(KafkaOpenerBuilder.MAX_MESSAGE_BYTES),
                config.get(KafkaOpenerBuilder.MAX_BATCH_MESSAGES),
                passThrough(config, KafkaOpenerBuilder.PRODUCER_PREFIX, PROTECTED_PRODUCER),
                passThrough(config, KafkaOpenerBuilder.CONSUMER_PREFIX, PROTECTED_CONSUMER),
                passThrough(config, KafkaOpenerBuilder.ADMIN_PREFIX, PROTECTED_ADMIN));
        settings.checkClientProperties();
        return settings;
    }

    /**
     * Parses the three clients' properties as Kafka will (no I/O), so a bad pass-through value fails at build rather
     * than at the first open or read.
     */
    private void checkClientProperties() {
        check(KafkaOpenerBuilder.PRODUCER_PREFIX, () -> new ProducerConfig(producerProperties(topic("check"))));
        check(KafkaOpenerBuilder.CONSUMER_PREFIX, () -> new ConsumerConfig(consumerProperties("check", 1)));
        check(KafkaOpenerBuilder.ADMIN_PREFIX, () -> new AdminClientConfig(adminProperties()));
    }

    private static void check(String prefix, Runnable parse) {
        try {
            parse.run();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("Kafka refused a client property set under " + prefix + "*: "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, String> passThrough(WALConfig config, String prefix, Set<String> refused) {
        Map<String, String> props = config.withPrefix(prefix);
        for (String key : props.keySet()) {
            if (refused.contains(key)) {
                throw new IllegalArgumentException("configuration key " + prefix + key + " is refused: the Kafka "
                        + "backend sets " + key + " itself because its guarantees depend on it; refused under "
                        + prefix + ": " + new java.util.TreeSet<>(refused));
            }
        }
        return props;
    }

    /** @return the topic of {@code channel} */
    String topic(String channel) {
        return topicPrefix + Objects.requireNonNull(channel, "channel");
    }

    /** @return the bootstrap servers as a list, for messages */
    List<String> servers() {
        return List.of(bootstrapServers.split("\\s*,\\s*"));
    }

    /** @return the admin client's properties */
    Map<String, Object> adminProperties() {
        Map<String, Object> props = new HashMap<>(adminOverrides);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "wal4j-kafka-admin-" + CLIENT_SEQUENCE.incrementAndGet());
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /**
     * @param topic the channel's topic, which is also the transactional id: one writer identity per channel
     * @return the writer's producer properties
     */
    Map<String, Object> producerProperties(String topic) {
        Map<String, Object> props = new HashMap<>(producerOverrides);
        // Unique per producer: Kafka registers client metrics under the client id, and a fenced writer may still be
        // alive in this JVM when its successor starts.
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "wal4j-kafka-writer-" + topic + "-"
                + CLIENT_SEQUENCE.incrementAndGet());
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis());
        props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) maxMessageBytes + RECORD_OVERHEAD_BYTES);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * @param clientId  a name for the consumer, shown in the broker's logs
     * @param readAhead how many records one consumer poll returns at most
     * @return a scanner's consumer properties: no group, no commits, committed data only
     */
    Map<String, Object> consumerProperties(String clientId, int readAhead) {
        Map<String, Object> props = new HashMap<>(consumerOverrides);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + CLIENT_SEQUENCE.incrementAndGet());
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, readAhead);
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** @return {@link #requestTimeout} in milliseconds, as an int for Kafka's int-typed timeouts */
    int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
    }
}
