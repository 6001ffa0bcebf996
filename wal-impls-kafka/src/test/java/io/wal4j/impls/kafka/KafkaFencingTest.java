package io.wal4j.impls.kafka;

import static io.wal4j.impls.kafka.KafkaTestUtils.append;
import static io.wal4j.impls.kafka.KafkaTestUtils.await;
import static io.wal4j.impls.kafka.KafkaTestUtils.failureOf;
import static io.wal4j.impls.kafka.KafkaTestUtils.ids;
import static io.wal4j.impls.kafka.KafkaTestUtils.message;
import static io.wal4j.impls.kafka.KafkaTestUtils.newChannel;
import static io.wal4j.impls.kafka.KafkaTestUtils.read;
import static io.wal4j.impls.kafka.KafkaTestUtils.scanner;
import static io.wal4j.impls.kafka.KafkaTestUtils.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two writers of one channel, each through its own opener (its own admin client and producer, as two processes
 * would have): the newer fences the older through the channel's transactional id.
 */
@ExtendWith(SharedKafkaBroker.class)
class KafkaFencingTest {

    private OpenerImpls first;
    private OpenerImpls second;

    @BeforeEach
    void buildTwoOpeners() {
        first = new KafkaOpenerBuilder().build(SharedKafkaBroker.broker().config());
        second = new KafkaOpenerBuilder().build(SharedKafkaBroker.broker().config());
    }

    @AfterEach
    void closeOpeners() {
        second.close();
        first.close();
    }

    @Test
    void aNewerWriterFencesTheOlderWhoseAppendsAndTruncatesThenFailWithChannelFencedExceptionForever() {
        String channel = newChannel("fence");
        try (WALImpls older = first.open(OpenOption.readWrite(channel, 1))) {
            List<MessageId> acknowledged = new ArrayList<>(List.of(append(older, "a"), append(older, "b")));
            try (WALImpls newer = second.open(OpenOption.readWrite(channel, 2))) {
                for (int attempt = 0; attempt < 3; attempt++) {
                    Throwable fenced = failureOf(older.append(message("late " + attempt), Durability.REPLICATED),
                            "append by the fenced writer");
                    assertThat(fenced).isInstanceOf(ChannelFencedException.class);
                    assertThat(((ChannelFencedException) fenced).channel()).isEqualTo(channel);
                    assertThat(((ChannelFencedException) fenced).term()).isEqualTo(1);
                }
                assertThat(failureOf(older.truncate(acknowledged.get(0)), "truncate by the fenced writer"))
                        .isInstanceOf(ChannelFencedException.class);
                acknowledged.add(append(newer, "c"));
                try (ScannerImpls scanner = scanner(newer, "after-fence", DeliverPolicy.all())) {
                    List<ImmutableMessage> read = read(scanner, 3);
                    assertThat(texts(read)).containsExactly("a", "b", "c");
                    assertThat(ids(read)).containsExactlyElementsOf(acknowledged);
                    assertThat(scanner.poll(java.time.Duration.ofMillis(300)))
                            .as("nothing of the fenced writer's refused appends is stored").isNull();
                }
            }
        }
    }

    @Test
    void reopeningAtTheSameTermTakesTheChannelOverFromTheEarlierWriter() {
        String channel = newChannel("same-term");
        try (WALImpls earlier = first.open(OpenOption.readWrite(channel, 3));
             WALImpls later = second.open(OpenOption.readWrite(channel, 3))) {
            assertThat(failureOf(earlier.append(message("x"), Durability.REPLICATED), "append by the earlier writer"))
                    .isInstanceOf(ChannelFencedException.class);
            append(later, "y");
        }
    }

    @Test
    void aLowerTermIsRefusedAfterAHigherTermOpenedEvenOnceThatWriterClosedAndDoesNotFenceIt() {
        String channel = newChannel("lower-term");
        try (WALImpls higher = second.open(OpenOption.readWrite(channel, 5))) {
            Throwable refused = catchThrowable(() -> first.open(OpenOption.readWrite(channel, 4)).close());
            assertThat(refused).isInstanceOf(ChannelFencedException.class)
                    .hasMessageContaining("term 5");
            append(higher, "still the owner");
        }
        assertThat(catchThrowable(() -> first.open(OpenOption.readWrite(channel, 4)).close()))
                .as("the recorded term outlives its writer").isInstanceOf(ChannelFencedException.class);
        try (WALImpls next = first.open(OpenOption.readWrite(channel, 6))) {
            append(next, "term 6");
        }
    }

    @Test
    void appendsInFlightWhenANewerWriterOpensAreEitherAcknowledgedAndReadableOrFenced() throws Exception {
        String channel = newChannel("racing");
        Map<MessageId, String> acknowledged = new TreeMap<>();
        List<CompletableFuture<MessageId>> appends = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch someAcknowledged = new CountDownLatch(20);
        try (WALImpls older = first.open(OpenOption.readWrite(channel, 1))) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    Semaphore inFlight = new Semaphore(8);
                    for (int i = 0; !stop.get(); i++) {
                        assertThat(inFlight.tryAcquire(60, TimeUnit.SECONDS)).isTrue();
                        String text = thread + "/" + i;
                        CompletableFuture<MessageId> id = older.append(message(text), Durability.REPLICATED);
                        id.whenComplete((assigned, failure) -> {
                            inFlight.release();
                            if (assigned != null) {
                                synchronized (acknowledged) {
                                    acknowledged.put(assigned, text);
                                }
                                someAcknowledged.countDown();
                            }
                        });
                        synchronized (appends) {
                            appends.add(id);
                        }
                    }
                    return null;
                }));
            }
            assertThat(someAcknowledged.await(60, TimeUnit.SECONDS)).isTrue();
            try (WALImpls newer = second.open(OpenOption.readWrite(channel, 2))) {
                assertThat(failureOf(older.append(message("after"), Durability.REPLICATED), "append after the take-over"))
                        .isInstanceOf(ChannelFencedException.class);
                stop.set(true);
                for (Future<?> writer : writers) {
                    writer.get(60, TimeUnit.SECONDS);
                }
                List<CompletableFuture<MessageId>> all;
                synchronized (appends) {
                    all = List.copyOf(appends);
                }
                for (CompletableFuture<MessageId> append : all) {
                    Throwable failure = catchThrowable(() -> await(append, "racing append"));
                    if (failure != null) {
                        assertThat(failureOf(append, "racing append")).isInstanceOf(ChannelFencedException.class);
                    }
                }
                MessageId last = append(newer, "newer");
                Map<MessageId, String> expected;
                synchronized (acknowledged) {
                    expected = new TreeMap<>(acknowledged);
                }
                expected.put(last, "newer");
                try (ScannerImpls scanner = scanner(newer, "racing", DeliverPolicy.all())) {
                    List<ImmutableMessage> read = read(scanner, expected.size());
                    assertThat(ids(read)).as("exactly the acknowledged appends of both writers, in id order")
                            .containsExactlyElementsOf(expected.keySet());
                    assertThat(texts(read)).containsExactlyElementsOf(expected.values());
                }
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
