package io.wal4j.impls.kafka;

import io.wal4j.api.WALConfig;
import java.util.Map;
import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft Kafka cluster (one combined broker + controller) running inside the test JVM, built with
 * Kafka's own test kit from Maven Central artifacts; its log directories are temporary and deleted on close. The
 * internal topics get one replica and one partition so the broker starts in about two seconds, and the broker's
 * session timeout is short so a restarted broker re-registers quickly.
 */
final class TestBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private TestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts a broker and waits until it serves requests. */
    static TestBroker start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        Map.of("offsets.topic.replication.factor", "1",
                "offsets.topic.num.partitions", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "1",
                "group.initial.rebalance.delay.ms", "0",
                "broker.session.timeout.ms", "2000",
                "broker.heartbeat.interval.ms", "500").forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new TestBroker(cluster);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** @return {@code host:port} of the broker */
    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * @return the configuration of a Kafka opener on this broker: one replica (so {@code allow-unreplicated}), a
     *     10 s request timeout
     */
    WALConfig config() {
        return WALConfig.of(Map.of(
                KafkaOpenerBuilder.BOOTSTRAP_SERVERS.name(), bootstrapServers(),
                KafkaOpenerBuilder.REPLICATION_FACTOR.name(), "1",
                KafkaOpenerBuilder.MIN_INSYNC_REPLICAS.name(), "1",
                KafkaOpenerBuilder.ALLOW_UNREPLICATED.name(), "true",
                KafkaOpenerBuilder.REQUEST_TIMEOUT.name(), "10s"));
    }

    /** Shuts the broker down (the controller stays) and waits until it is down. Its data stays on disk. */
    void stopBroker() {
        BrokerServer broker = broker();
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts the broker stopped by {@link #stopBroker()} again, on the same port, and waits until it is ready. */
    void startBroker() throws Exception {
        broker().startup();
        cluster.waitForReadyBrokers();
    }

    private BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    /** Stops the cluster and deletes its directories. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the embedded Kafka cluster", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded Kafka cluster", e);
        }
    }
}
