package io.wal4j.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.AppendResult;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole-stack runs through {@link WALRegistry}: concurrent appenders, tailing scanners, close racing with appends,
 * on every embedded backend.
 */
class EndToEndIT {

    private static final int APPENDERS = 4;
    private static final int PER_APPENDER = 2_500;
    private static final int TOTAL = APPENDERS * PER_APPENDER;
    private static final int IN_FLIGHT = 64;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** Memory stores outlive an opener, so every test writes its own channels. */
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool(task -> new Thread(task, "it-e2e"));

    @AfterEach
    void stopPoolAndCheckNoWALThreadIsLeft() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("test threads stopped").isTrue();
        // Every opener is closed by now: none of wal4j's threads may outlive it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ItTestUtils.liveThreads("wal4j-")).isEmpty());
    }

    private static String newChannel(String what) {
        return what + "-" + CHANNELS.incrementAndGet();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "file"})
    void everyAcknowledgedMessageReachesTwoTailingScannersExactlyOnceInOrder(String backend) throws Exception {
        WALConfig config = ItTestUtils.backendConfig(backend, dir);
        try (Opener opener = WALRegistry.builder(backend).build(config);
             WAL wal = opener.open(OpenOption.readWrite(newChannel("e2e"), 1))) {
            Scanner first = wal.read(ReadOption.newBuilder().name("tail-1").build());
            Scanner second = wal.read(ReadOption.newBuilder().name("tail-2").build());
            Future<List<ImmutableMessage>> firstRead = pool.submit(() -> readData(first, TOTAL));
            Future<List<ImmutableMessage>> secondRead = pool.submit(() -> readData(second, TOTAL));

            Map<Integer, MessageId> acked = appendConcurrently(wal);

            assertThat(acked).hasSize(TOTAL);
            assertDeliveredExactlyOnceInOrder(firstRead.get(60, TimeUnit.SECONDS), acked);
            assertDeliveredExactlyOnceInOrder(secondRead.get(60, TimeUnit.SECONDS), acked);

            // A scanner created after the fact reads the same log from the start.
            try (Scanner late = wal.read(ReadOption.newBuilder().name("late").build())) {
                assertDeliveredExactlyOnceInOrder(readData(late, TOTAL), acked);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "file"})
    void closeRacingWithAppendsLeavesEveryAppendAcknowledgedOrClosed(String backend) throws Exception {
        WALConfig config = ItTestUtils.backendConfig(backend, dir);
        try (Opener opener = WALRegistry.builder(backend).build(config)) {
            String channel = newChannel("race");
            WAL wal = opener.open(OpenOption.readWrite(channel, 1));
            CountDownLatch someAcked = new CountDownLatch(200);
            List<Future<List<Append>>> appenders = new ArrayList<>();
            for (int t = 0; t < APPENDERS; t++) {
                int thread = t;
                appenders.add(pool.submit(() -> appendUntilRefused(wal, thread, someAcked)));
            }
            assertThat(someAcked.await(60, TimeUnit.SECONDS)).as("appends acknowledged before close").isTrue();

            CompletableFuture.runAsync(wal::close, pool).get(60, TimeUnit.SECONDS);

            Map<Integer, MessageId> acked = new ConcurrentHashMap<>();
            long refused = 0;
            for (Future<List<Append>> appender : appenders) {
                for (Append append : appender.get(60, TimeUnit.SECONDS)) {
                    refused += outcome(append, acked) ? 0 : 1;
                }
            }
            assertThat(refused).as("appends refused after close").isPositive();
            assertThat(acked).hasSizeGreaterThanOrEqualTo(200);

            // Nothing acknowledged was lost: reopening the channel delivers each acknowledged message once, in order.
            try (WAL reopened = opener.open(OpenOption.readWrite(channel, 2));
                 Scanner scanner = reopened.read(ReadOption.all())) {
                List<ImmutableMessage> read = readData(scanner, acked.size());
                assertDeliveredExactlyOnceInOrder(read, acked);
            }
        }
    }

    /** @return by sequence number, the id of every append, all of which must succeed */
    private Map<Integer, MessageId> appendConcurrently(WAL wal) throws Exception {
        Map<Integer, MessageId> acked = new ConcurrentHashMap<>();
        List<Future<?>> appenders = new ArrayList<>();
        for (int t = 0; t < APPENDERS; t++) {
            int thread = t;
            appenders.add(pool.submit(() -> {
                Semaphore inFlight = new Semaphore(IN_FLIGHT);
                for (int i = 0; i < PER_APPENDER; i++) {
                    int seq = thread * PER_APPENDER + i;
                    inFlight.acquire();
                    wal.appendAsync(message(seq)).whenComplete((result, failure) -> {
                        if (result != null) {
                            acked.put(seq, result.messageId());
                        }
                        inFlight.release();
                    });
                }
                inFlight.acquire(IN_FLIGHT);
                return null;
            }));
        }
        for (Future<?> appender : appenders) {
            appender.get(120, TimeUnit.SECONDS);
        }
        return acked;
    }

    /** Appends until the WAL refuses; @return every append with its sequence number */
    private static List<Append> appendUntilRefused(WAL wal, int thread, CountDownLatch someAcked)
            throws InterruptedException {
        List<Append> appends = new ArrayList<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicBoolean refused = new AtomicBoolean();
        // The cap only bounds a WAL that would never close; close comes after 200 acknowledgements.
        for (int i = 0; i < 1_000_000 && !refused.get(); i++) {
            inFlight.acquire();
            int seq = thread * 1_000_000 + i;
            CompletableFuture<AppendResult> append = wal.appendAsync(message(seq));
            append.whenComplete((result, failure) -> {
                if (failure != null) {
                    refused.set(true);
                } else {
                    someAcked.countDown();
                }
                inFlight.release();
            });
            appends.add(new Append(seq, append));
        }
        inFlight.acquire(IN_FLIGHT);
        return appends;
    }

    /** @return true if acknowledged (recorded in {@code acked}), false if refused with WALClosedException */
    private static boolean outcome(Append append, Map<Integer, MessageId> acked) throws InterruptedException {
        assertThat(append.future()).as("append %d completed once close has returned", append.seq()).isDone();
        try {
            acked.put(append.seq(), append.future().get().messageId());
            return true;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).as("failure of append %d", append.seq()).isInstanceOf(WALClosedException.class);
            return false;
        }
    }

    /** One asynchronous append and its sequence number. */
    private record Append(int seq, CompletableFuture<AppendResult> future) {
    }

    private static MutableMessage message(int seq) {
        return MutableMessage.newBuilder().payload(("payload-" + seq).getBytes()).property("seq", Integer.toString(seq))
                .build();
    }

    /** A consumer sees every data message stamped with a time tick, in strictly increasing time tick. */
    private static void assertStrictlyIncreasingTimeTicks(List<ImmutableMessage> read) {
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).hasTimeTick()).as("message %s carries a time tick", read.get(i).id()).isTrue();
            if (i > 0) {
                assertThat(read.get(i).timeTick()).as("time tick of %s", read.get(i).id())
                        .isGreaterThan(read.get(i - 1).timeTick());
            }
        }
    }

    /** Reads {@code count} data messages, skipping the WAL's own system messages. */
    private static List<ImmutableMessage> readData(Scanner scanner, int count) {
        List<ImmutableMessage> read = new ArrayList<>(count);
        while (read.size() < count) {
            ImmutableMessage message = scanner.poll(READ_TIMEOUT);
            if (message == null) {
                fail("scanner " + scanner.name() + " delivered " + read.size() + " of " + count
                        + " messages, then nothing for " + READ_TIMEOUT);
            }
            if (!message.messageType().isSystem()) {
                read.add(message);
            }
        }
        return read;
    }

    private static void assertDeliveredExactlyOnceInOrder(List<ImmutableMessage> read, Map<Integer, MessageId> acked) {
        assertThat(read).hasSize(acked.size());
        assertThat(read).extracting(ImmutableMessage::id).doesNotHaveDuplicates();
        assertStrictlyIncreasingTimeTicks(read);
        for (ImmutableMessage message : read) {
            int seq = Integer.parseInt(message.property("seq"));
            assertThat(message.id()).as("id of message %d", seq).isEqualTo(acked.get(seq));
            assertThat(message.payload()).isEqualTo(("payload-" + seq).getBytes());
        }
    }
}
