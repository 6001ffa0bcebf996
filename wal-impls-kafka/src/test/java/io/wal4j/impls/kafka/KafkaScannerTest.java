package io.wal4j.impls.kafka;

import static io.wal4j.impls.kafka.KafkaTestUtils.TIMEOUT;
import static io.wal4j.impls.kafka.KafkaTestUtils.append;
import static io.wal4j.impls.kafka.KafkaTestUtils.ids;
import static io.wal4j.impls.kafka.KafkaTestUtils.newChannel;
import static io.wal4j.impls.kafka.KafkaTestUtils.read;
import static io.wal4j.impls.kafka.KafkaTestUtils.scanner;
import static io.wal4j.impls.kafka.KafkaTestUtils.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.OpenOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a Kafka scanner adds to the kit's checks: committed data only, offset gaps, out-of-range positions. */
@ExtendWith(SharedKafkaBroker.class)
class KafkaScannerTest {

    private OpenerImpls opener;

    @BeforeEach
    void buildOpener() {
        opener = new KafkaOpenerBuilder().build(SharedKafkaBroker.broker().config());
    }

    @AfterEach
    void closeOpener() {
        opener.close();
    }

    @Test
    void recordsOfAnAbortedTransactionAreNeverDeliveredAndIdsStayOrderedAcrossTheGaps() {
        String channel = newChannel("aborted");
        try (WALImpls wal = opener.open(OpenOption.readWrite(channel, 1))) {
            List<MessageId> written = new ArrayList<>(List.of(append(wal, "a"), append(wal, "b")));
            abortRecords("wal4j-" + channel, 3);
            written.add(append(wal, "c"));
            try (ScannerImpls scanner = scanner(wal, "committed-only", DeliverPolicy.all())) {
                List<ImmutableMessage> read = read(scanner, 3);
                assertThat(texts(read)).containsExactly("a", "b", "c");
                assertThat(ids(read)).containsExactlyElementsOf(written).isSorted();
                long first = ((KafkaMessageId) written.get(0)).offset();
                long last = ((KafkaMessageId) written.get(2)).offset();
                assertThat(last - first).as("offsets skipped by commit markers and the aborted records")
                        .isGreaterThan(2);
                assertThat(scanner.poll(Duration.ofMillis(300))).as("nothing aborted arrives later").isNull();
            }
        }
    }

    /** Writes {@code count} records to {@code topic} in a transaction of a foreign producer and aborts it. */
    private static void abortRecords(String topic, int count) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.broker().bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "foreign-" + topic,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("aborted " + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            producer.abortTransaction();
        }
    }

    @Test
    void readLastFindsTheLastCommittedMessageBehindALongRunOfAbortedRecords() {
        String channel = newChannel("last");
        try (WALImpls wal = opener.open(OpenOption.readWrite(channel, 1))) {
            assertThat(wal.readLast()).isEmpty();
            append(wal, "first");
            MessageId last = append(wal, "last");
            abortRecords("wal4j-" + channel, 100);
            ImmutableMessage found = wal.readLast().orElseThrow();
            assertThat(found.id()).isEqualTo(last);
            assertThat(KafkaTestUtils.text(found)).isEqualTo("last");
            assertThat(found.property("text")).isEqualTo("last");
        }
    }

    @Test
    void startFromAnIdPastTheEndDeliversTheFirstMessageAtOrAfterIt() {
        String channel = newChannel("past-end");
        try (WALImpls wal = opener.open(OpenOption.readWrite(channel, 1))) {
            long end = ((KafkaMessageId) append(wal, "first")).offset();
            KafkaMessageId target = KafkaMessageId.of(end + 7);
            try (ScannerImpls scanner = scanner(wal, "past-end", DeliverPolicy.startFrom(target))) {
                List<MessageId> after = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    MessageId id = append(wal, "m" + i);
                    if (id.compareTo(target) >= 0) {
                        after.add(id);
                    }
                }
                assertThat(after).as("appends reached past the target id").isNotEmpty();
                assertThat(ids(read(scanner, after.size()))).containsExactlyElementsOf(after);
            }
        }
    }

    @Test
    void aReaderOfAnotherOpenerTailsTheWritersAppends() {
        String channel = newChannel("cross-process");
        try (OpenerImpls readerSide = new KafkaOpenerBuilder().build(SharedKafkaBroker.broker().config());
             WALImpls wal = opener.open(OpenOption.readWrite(channel, 1));
             ReadOnlyWALImpls ro = readerSide.openReadOnly(OpenOption.readOnly(channel, 1));
             ScannerImpls tailing = scanner(ro, "tailing", DeliverPolicy.latest())) {
            List<MessageId> written = List.of(append(wal, "x"), append(wal, "y"));
            assertThat(ids(read(tailing, 2))).containsExactlyElementsOf(written);
        }
    }

    @Test
    void aTruncatedPositionMovesToTheFirstRetainedMessage() {
        String channel = newChannel("truncated");
        try (WALImpls wal = opener.open(OpenOption.readWrite(channel, 1))) {
            MessageId a = append(wal, "a");
            MessageId b = append(wal, "b");
            MessageId c = append(wal, "c");
            KafkaTestUtils.await(wal.truncate(b), "truncate through b");
            try (ScannerImpls scanner = scanner(wal, "from-a", DeliverPolicy.startFrom(a))) {
                assertThat(ids(read(scanner, 1))).containsExactly(c);
            }
        }
    }

    @Test
    void closingAScannerEndsItsFetchThread() {
        String channel = newChannel("threads");
        try (WALImpls wal = opener.open(OpenOption.readWrite(channel, 1))) {
            ScannerImpls scanner = scanner(wal, "threads", DeliverPolicy.all());
            assertThat(fetchThreads(channel)).hasSize(1);
            scanner.close();
            await().atMost(TIMEOUT).until(() -> fetchThreads(channel).isEmpty());
        }
    }

    private static List<Thread> fetchThreads(String channel) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("wal4j-kafka-scanner-" + channel + "-")).toList();
    }
}
