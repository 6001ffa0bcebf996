package io.wal4j.impls.kafka;

import static io.wal4j.impls.kafka.KafkaTestUtils.append;
import static io.wal4j.impls.kafka.KafkaTestUtils.await;
import static io.wal4j.impls.kafka.KafkaTestUtils.failureOf;
import static io.wal4j.impls.kafka.KafkaTestUtils.newChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.wal4j.api.Durability;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How channels become topics. */
@ExtendWith(SharedKafkaBroker.class)
class KafkaOpenerTest {

    private OpenerImpls opener;
    private Admin admin;

    @BeforeEach
    void setUp() {
        opener = new KafkaOpenerBuilder().build(SharedKafkaBroker.broker().config());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.broker().bootstrapServers()));
    }

    @AfterEach
    void tearDown() {
        admin.close();
        opener.close();
    }

    @Test
    void openingAChannelCreatesASinglePartitionTopicWithTheConfiguredSettings() throws Exception {
        String channel = newChannel("created");
        try (WALImpls wal = opener.open(OpenOption.readWrite(channel, 1))) {
            append(wal, "x");
        }
        String topic = "wal4j-" + channel;
        TopicDescription description = admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                .get(30, TimeUnit.SECONDS);
        assertThat(description.partitions()).hasSize(1);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        var config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
        assertThat(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value())
                .isEqualTo(Long.toString((1L << 20) + KafkaSettings.RECORD_OVERHEAD_BYTES));
    }

    @Test
    void anExistingTopicWithMoreThanOnePartitionIsRefused() throws Exception {
        String channel = newChannel("two-partitions");
        admin.createTopics(List.of(new NewTopic("wal4j-" + channel, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        Throwable refused = catchThrowable(() -> opener.open(OpenOption.readWrite(channel, 1)).close());
        assertThat(refused).isInstanceOf(WALStorageException.class).hasMessageContaining("2 partitions");
    }

    @Test
    void channelsDifferingOnlyByDotAndUnderscoreCollideAndTheSecondFailsToOpen() {
        String base = newChannel("collide");
        try (WALImpls first = opener.open(OpenOption.readWrite(base + ".a", 1))) {
            append(first, "x");
            Throwable refused = catchThrowable(() -> opener.open(OpenOption.readWrite(base + "_a", 1)).close());
            assertThat(refused).isInstanceOf(WALStorageException.class).hasMessageContaining(base + "_a");
        }
    }

    @Test
    void theOpenerReportsTheBuildersCapabilitiesWithoutAConfiguredLimit() {
        assertThat(opener.capabilities()).contains(new KafkaOpenerBuilder().capabilities());
    }

    @Test
    void aLimitAboveTheDefaultIsReportedByTheOpenerAndEnforcedByItsWALs() {
        long limit = 2L << 20;
        KafkaOpenerBuilder builder = new KafkaOpenerBuilder();
        try (OpenerImpls large = builder.build(SharedKafkaBroker.broker().config()
                .with(KafkaOpenerBuilder.MAX_MESSAGE_BYTES.name(), Long.toString(limit)));
             WALImpls wal = large.open(OpenOption.readWrite(newChannel("limit"), 1))) {
            Capabilities reported = large.capabilities().orElseThrow();
            assertThat(reported.maxMessageBytes()).isEqualTo(limit);
            assertThat(reported.withMaxMessageBytes(builder.capabilities().maxMessageBytes()))
                    .isEqualTo(builder.capabilities());

            byte[] overTheDefault = new byte[(int) (builder.capabilities().maxMessageBytes() + 1000)];
            MessageId stored = await(wal.append(MutableMessage.newBuilder().payload(overTheDefault).build(),
                    Durability.REPLICATED), "append above the default limit");
            // A committed transaction's markers reach the partition shortly after the commit returns, so the
            // read_committed end may lag the acknowledgement for a moment.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(wal.readLast()).map(m -> m.id()).contains(stored));
            Throwable refused = failureOf(wal.append(MutableMessage.newBuilder().payload(new byte[(int) limit + 1])
                    .build(), Durability.REPLICATED), "append above the configured limit");
            assertThat(refused).isInstanceOf(MessageTooLargeException.class);
            assertThat(((MessageTooLargeException) refused).limit()).isEqualTo(limit);
        }
    }
}
