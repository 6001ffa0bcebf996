package io.wal4j.impls.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.wal4j.api.Durability;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALStorageException;
import io.wal4j.spi.OpenerBuilderImpls;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration checks and the unreachable-cluster error; none of these needs a broker. */
class KafkaOpenerBuilderTest {

    private static final String SERVERS = "wal.kafka.bootstrap-servers";

    private static WALConfig config(String... keysAndValues) {
        Map<String, String> map = new HashMap<>(Map.of(SERVERS, "127.0.0.1:1",
                "wal.kafka.replication-factor", "1", "wal.kafka.min-insync-replicas", "1",
                "wal.kafka.allow-unreplicated", "true", "wal.kafka.request-timeout", "1s"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return WALConfig.of(map);
    }

    @Test
    void theBackendIsFoundByServiceLoaderAsKafka() {
        assertThat(ServiceLoader.load(OpenerBuilderImpls.class).stream().map(ServiceLoader.Provider::get)
                .filter(b -> b.name().equals("kafka")).findFirst()).get().isInstanceOf(KafkaOpenerBuilder.class);
    }

    @Test
    void capabilitiesPromiseReplicatedDurabilityOnly() {
        var capabilities = new KafkaOpenerBuilder().capabilities();
        assertThat(capabilities.durabilities()).containsExactly(Durability.REPLICATED);
        assertThat(capabilities.truncate()).isTrue();
        assertThat(capabilities.fencing()).isTrue();
        assertThat(capabilities.readOnly()).isTrue();
        assertThat(capabilities.crossProcessReaders()).isTrue();
        assertThat(new KafkaOpenerBuilder().messageIdCodec()).isInstanceOf(KafkaMessageIdCodec.class);
    }

    @Test
    void aMissingBootstrapListFailsNamingTheKey() {
        assertThatThrownBy(() -> new KafkaOpenerBuilder().build(WALConfig.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SERVERS);
        assertThatThrownBy(() -> new KafkaOpenerBuilder().build(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "wal.kafka.no-such-key | 1 | wal.kafka.no-such-key",
            "wal.kafka.replication-factor | zero | wal.kafka.replication-factor",
            "wal.kafka.request-timeout | 10 | wal.kafka.request-timeout",
            "wal.kafka.topic-prefix | bad/prefix | wal.kafka.topic-prefix",
            "wal.kafka.min-insync-replicas | 2 | wal.kafka.min-insync-replicas",
            "wal.kafka.producer.acks | 1 | wal.kafka.producer.acks",
            "wal.kafka.producer.transactional.id | mine | wal.kafka.producer.transactional.id",
            "wal.kafka.consumer.isolation.level | read_uncommitted | wal.kafka.consumer.isolation.level",
            "wal.kafka.consumer.group.id | g | wal.kafka.consumer.group.id",
            "wal.kafka.admin.bootstrap.servers | elsewhere:9092 | wal.kafka.admin.bootstrap.servers",
            "wal.kafka.producer.max.in.flight.requests.per.connection | 10 | wal.kafka.producer.",
            "wal.kafka.consumer.fetch.max.wait.ms | soon | wal.kafka.consumer.",
            "wal.kafka.admin.retries | many | wal.kafka.admin."})
    void aBadOrRefusedValueFailsTheBuildNamingTheKey(String key, String value, String named) {
        assertThatThrownBy(() -> new KafkaOpenerBuilder().build(config(key, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named);
    }

    @Test
    void minInsyncReplicasBelowTwoNeedsAnExplicitOptIn() {
        assertThatThrownBy(() -> new KafkaOpenerBuilder().build(config("wal.kafka.allow-unreplicated", "false")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wal.kafka.min-insync-replicas")
                .hasMessageContaining("wal.kafka.allow-unreplicated");
    }

    @Test
    void anUnreachableClusterFailsTheBuildWithinTheRequestTimeoutNamingTheServersTried() {
        long start = System.nanoTime();
        Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchThrowable(() ->
                new KafkaOpenerBuilder().build(config(SERVERS, "127.0.0.1:1,127.0.0.1:2")).close()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to give up with a 1 s request timeout")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(failure).isInstanceOf(WALStorageException.class)
                .hasMessageContaining("127.0.0.1:1").hasMessageContaining("127.0.0.1:2")
                .hasMessageContaining(SERVERS);
    }

    @Test
    void anUnresolvableHostFailsTheBuildNamingIt() {
        Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchThrowable(() ->
                new KafkaOpenerBuilder().build(config(SERVERS, "no-such-host.invalid:9092")).close()));
        assertThat(failure).isInstanceOf(WALStorageException.class).hasMessageContaining("no-such-host.invalid:9092")
                .hasMessageContaining(SERVERS);
    }

    @Test
    void aMalformedBootstrapListFailsWithIllegalArgumentExceptionQuotingIt() {
        assertThatThrownBy(() -> new KafkaOpenerBuilder().build(config(SERVERS, "not-a-host-port")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-a-host-port")
                .hasMessageContaining(SERVERS);
    }
}
