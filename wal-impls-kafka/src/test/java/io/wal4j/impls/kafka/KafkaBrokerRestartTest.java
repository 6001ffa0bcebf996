package io.wal4j.impls.kafka;

import static io.wal4j.impls.kafka.KafkaTestUtils.TIMEOUT;
import static io.wal4j.impls.kafka.KafkaTestUtils.append;
import static io.wal4j.impls.kafka.KafkaTestUtils.ids;
import static io.wal4j.impls.kafka.KafkaTestUtils.message;
import static io.wal4j.impls.kafka.KafkaTestUtils.newChannel;
import static io.wal4j.impls.kafka.KafkaTestUtils.read;
import static io.wal4j.impls.kafka.KafkaTestUtils.scanner;
import static io.wal4j.impls.kafka.KafkaTestUtils.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the broker in the middle of a stream of appends (on a broker of its own, so no other test class sees the
 * outage): appends made while it is down wait and then succeed, or fail with a wal4j exception; nothing that was
 * acknowledged is lost, and a scanner reading across the outage goes on.
 */
class KafkaBrokerRestartTest {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerRestartTest.class);
    private static final int IN_FLIGHT = 16;

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBrokerRestartInTheMiddleOfAStreamLosesNoAcknowledgedMessage() throws Exception {
        String channel = newChannel("restart");
        List<CompletableFuture<MessageId>> appends = new ArrayList<>();
        AtomicInteger acknowledgedCount = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try (OpenerImpls opener = new KafkaOpenerBuilder().build(broker.config());
             WALImpls wal = opener.open(OpenOption.readWrite(channel, 1));
             ScannerImpls tailing = scanner(wal, "across-the-restart", DeliverPolicy.all())) {
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    inFlight.acquireUninterruptibly();
                    CompletableFuture<MessageId> id = wal.append(message("m" + i), Durability.REPLICATED);
                    id.whenComplete((assigned, failure) -> {
                        inFlight.release();
                        if (assigned != null) {
                            acknowledgedCount.incrementAndGet();
                        }
                    });
                    synchronized (appends) {
                        appends.add(id);
                    }
                }
            }, "wal4j-test-restart-writer");
            writer.start();
            int acknowledgedWhenStopped;
            try {
                await("100 appends before the restart").atMost(TIMEOUT).until(() -> acknowledgedCount.get() >= 100);
                broker.stopBroker();
                acknowledgedWhenStopped = acknowledgedCount.get();
                broker.startBroker();
                await("100 more appends after the restart").atMost(TIMEOUT)
                        .until(() -> acknowledgedCount.get() >= acknowledgedWhenStopped + 100);
            } finally {
                stop.set(true);
                writer.join(TIMEOUT.toMillis());
            }
            assertThat(writer.isAlive()).as("the writer stopped").isFalse();

            List<CompletableFuture<MessageId>> all;
            synchronized (appends) {
                all = List.copyOf(appends);
            }
            Map<MessageId, String> acknowledged = new TreeMap<>();
            int failed = 0;
            for (int i = 0; i < all.size(); i++) {
                try {
                    acknowledged.put(all.get(i).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "m" + i);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).as("a failed append fails with a wal4j exception")
                            .isInstanceOf(WALException.class);
                    failed++;
                }
            }
            LOG.info("{} appends: {} acknowledged when the broker stopped, {} in the end, {} failed", all.size(),
                    acknowledgedWhenStopped, acknowledged.size(), failed);
            MessageId last = append(wal, "after the restart");
            acknowledged.put(last, "after the restart");

            assertThat(ids(readUntil(tailing, last))).as("the scanner open across the restart sees every "
                    + "acknowledged message").containsAll(acknowledged.keySet());
            try (ScannerImpls fresh = scanner(wal, "after-the-restart", DeliverPolicy.all())) {
                List<ImmutableMessage> read = read(fresh, acknowledged.size());
                assertThat(ids(read)).containsExactlyElementsOf(acknowledged.keySet());
                assertThat(texts(read)).containsExactlyElementsOf(acknowledged.values());
            }
        }
    }

    @Test
    void closingAWriterWhileTheBrokerIsDownGivesUpOnItsPendingAppendsWithinTheTimeout() throws Exception {
        String channel = newChannel("down");
        WALConfig config = broker.config().with(KafkaOpenerBuilder.REQUEST_TIMEOUT.name(), "2s");
        MessageId acknowledged;
        CompletableFuture<MessageId> pending;
        try (OpenerImpls opener = new KafkaOpenerBuilder().build(config)) {
            WALImpls wal = opener.open(OpenOption.readWrite(channel, 1));
            acknowledged = append(wal, "before");
            broker.stopBroker();
            try {
                pending = wal.append(message("while down"), Durability.REPLICATED);
                long start = System.nanoTime();
                wal.close();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).as("close() with the broker down").isLessThan(Duration.ofSeconds(30));
                Throwable failure = catchThrowable(() -> pending.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                // Two timers race, both 2 s here: close() giving up on the pending append (WALClosedException) and
                // the producer's own request timeout failing its transaction first (WALStorageException, after an
                // abort). Either way the append is completed, and never acknowledged.
                assertThat(failure).as("an append pending while the broker is down").isInstanceOf(
                        ExecutionException.class);
                assertThat(failure.getCause()).isInstanceOfAny(WALClosedException.class, WALStorageException.class);
            } finally {
                broker.startBroker();
            }
            try (WALImpls reopened = opener.open(OpenOption.readWrite(channel, 2));
                 ScannerImpls scanner = scanner(reopened, "after-giving-up", DeliverPolicy.all())) {
                MessageId after = append(reopened, "after");
                List<ImmutableMessage> read = readUntil(scanner, after);
                assertThat(ids(read)).as("the acknowledged appends; the abandoned one may or may not be there")
                        .contains(acknowledged, after);
            }
        }
    }

    private static List<ImmutableMessage> readUntil(ScannerImpls scanner, MessageId last) {
        List<ImmutableMessage> read = new ArrayList<>();
        while (read.isEmpty() || read.get(read.size() - 1).id().isBefore(last)) {
            ImmutableMessage message = scanner.poll(TIMEOUT);
            assertThat(message).as("message after %d read by %s", read.size(), scanner.name()).isNotNull();
            read.add(message);
        }
        return read;
    }
}
