package io.wal4j.utility;

import static io.wal4j.utility.ConcurrentStructuresTestUtils.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PendingQueueTest {

    private final ExecutorService pool = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "wal4j-test-pending-queue");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void itemsComeOutInTheOrderTheyWentIn() throws InterruptedException {
        try (PendingQueue<String> queue = new PendingQueue<>(10)) {
            queue.put("a");
            queue.put("b");
            assertThat(queue.offer("c")).isTrue();

            assertThat(queue.take()).isEqualTo("a");
            assertThat(queue.poll()).isEqualTo("b");
            assertThat(queue.poll(Duration.ZERO)).isEqualTo("c");
            assertThat(queue.size()).isZero();
        }
    }

    @ParameterizedTest(name = "maxCount={0} maxBytes={1}: sizes {2} → admitted {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # maxCount | maxBytes | item sizes offered in turn | admitted (1) or refused (0)
            3          | 1000     | 1 1 1 1                    | 1 1 1 0
            1          | 1000     | 5 5                        | 1 0
            100        | 10       | 4 4 2 1                    | 1 1 1 0
            100        | 10       | 4 7 6                      | 1 0 1
            100        | 10       | 50 1                       | 1 0
            100        | 10       | 10 0                       | 1 1
            100        | 10       | 0 0 0 0                    | 1 1 1 1
            2          | 10       | 0 0 0                      | 1 1 0
            """)
    void offerRespectsBothBoundsButAnEmptyQueueAdmitsAnything(int maxCount, long maxBytes, String sizes,
                                                             String admitted) {
        try (PendingQueue<Long> queue = new PendingQueue<>(maxCount, maxBytes, Long::longValue)) {
            String[] s = sizes.split(" ");
            String[] a = admitted.split(" ");
            for (int i = 0; i < s.length; i++) {
                assertThat(queue.offer(Long.valueOf(s[i]))).as("offer #%d of size %s", i, s[i])
                        .isEqualTo(a[i].equals("1"));
            }
            assertThat(queue.bytes()).isLessThanOrEqualTo(Math.max(maxBytes, Long.parseLong(s[0])));
        }
    }

    @Test
    void aProducerBlockedOnAFullQueueIsReleasedByTheConsumer() throws Exception {
        try (PendingQueue<Integer> queue = new PendingQueue<>(2)) {
            queue.put(1);
            queue.put(2);

            Future<?> producer = pool.submit(() -> {
                queue.put(3);
                return null;
            });
            awaitTrue(() -> queue.waitingProducers() == 1, "producer blocked on the full queue");
            assertThat(producer).isNotDone();

            assertThat(queue.take()).isEqualTo(1);

            producer.get(10, TimeUnit.SECONDS);
            assertThat(drain(queue)).containsExactly(2, 3);
        }
    }

    @Test
    void aProducerBlockedOnTooManyBytesWaitsUntilEnoughIsTaken() throws Exception {
        try (PendingQueue<Long> queue = new PendingQueue<>(100, 10, Long::longValue)) {
            queue.put(4L);
            queue.put(4L);

            Future<?> producer = pool.submit(() -> {
                queue.put(5L);
                return null;
            });
            awaitTrue(() -> queue.waitingProducers() == 1, "producer blocked on bytes");

            assertThat(queue.take()).isEqualTo(4L);

            producer.get(10, TimeUnit.SECONDS);
            assertThat(queue.bytes()).isEqualTo(9);
        }
    }

    @Test
    void aProducerBlockedOnAFullQueueIsReleasedByCloseWithTheCause() throws Exception {
        PendingQueue<Integer> queue = new PendingQueue<>(1);
        queue.put(1);
        Future<?> producer = pool.submit(() -> {
            queue.put(2);
            return null;
        });
        awaitTrue(() -> queue.waitingProducers() == 1, "producer blocked on the full queue");
        IllegalStateException cause = new IllegalStateException("upstream failed");

        queue.close(cause);

        assertThatThrownBy(() -> producer.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BufferClosedException.class).hasCause(cause);
        assertThat(queue.size()).as("the blocked item was not queued").isEqualTo(1);
    }

    @Test
    void aConsumerBlockedOnAnEmptyQueueIsWokenByPut() throws Exception {
        try (PendingQueue<String> queue = new PendingQueue<>(4)) {
            Future<String> consumer = pool.submit(queue::take);
            awaitTrue(() -> queue.waitingConsumers() == 1, "consumer blocked on the empty queue");

            queue.put("hello");

            assertThat(consumer.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
        }
    }

    @Test
    void aConsumerBlockedInATimedPollIsWokenByPut() throws Exception {
        try (PendingQueue<String> queue = new PendingQueue<>(4)) {
            Future<String> consumer = pool.submit(() -> queue.poll(Duration.ofMinutes(1)));
            awaitTrue(() -> queue.waitingConsumers() == 1, "consumer blocked on the empty queue");

            queue.put("hello");

            assertThat(consumer.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
        }
    }

    @Test
    void consumersBlockedOnAnEmptyQueueAreWokenByClose() throws Exception {
        PendingQueue<String> queue = new PendingQueue<>(4);
        Future<String> taker = pool.submit(queue::take);
        Future<String> poller = pool.submit(() -> queue.poll(Duration.ofMinutes(1)));
        awaitTrue(() -> queue.waitingConsumers() == 2, "both consumers blocked");

        queue.close();

        for (Future<String> consumer : List.of(taker, poller)) {
            assertThatThrownBy(() -> consumer.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BufferClosedException.class).hasNoCause()
                    .hasMessage("pending queue is closed");
        }
    }

    @Test
    void afterCloseTheConsumerDrainsWhatIsQueuedThenFails() throws InterruptedException {
        PendingQueue<String> queue = new PendingQueue<>(4);
        queue.put("a");
        queue.put("b");
        RuntimeException cause = new RuntimeException("scanner ended");

        queue.close(cause);

        assertThatThrownBy(() -> queue.put("c")).isInstanceOf(BufferClosedException.class).hasCause(cause);
        assertThatThrownBy(() -> queue.offer("c")).isInstanceOf(BufferClosedException.class);
        assertThat(queue.take()).isEqualTo("a");
        assertThat(queue.poll(Duration.ofMinutes(1))).isEqualTo("b");
        assertThatThrownBy(queue::take).isInstanceOf(BufferClosedException.class).hasCause(cause);
        assertThatThrownBy(() -> queue.poll(Duration.ZERO)).isInstanceOf(BufferClosedException.class);
        assertThatThrownBy(queue::poll).isInstanceOf(BufferClosedException.class);
    }

    @Test
    void closeIsIdempotentAndTheFirstCauseWins() {
        PendingQueue<String> queue = new PendingQueue<>(4);
        RuntimeException first = new RuntimeException("first");

        queue.close(first);
        queue.close(new RuntimeException("second"));
        queue.close();

        assertThat(queue.isClosed()).isTrue();
        assertThatThrownBy(queue::poll).isInstanceOf(BufferClosedException.class).hasCause(first);
    }

    @Test
    void pollReturnsNullWhenNothingArrivesInTime() throws InterruptedException {
        try (PendingQueue<String> queue = new PendingQueue<>(4)) {
            assertThat(queue.poll()).isNull();
            assertThat(queue.poll(Duration.ZERO)).isNull();
            assertThat(queue.poll(Duration.ofSeconds(-1))).isNull();
            assertThat(queue.poll(Duration.ofMillis(5))).isNull();
        }
    }

    @Test
    void anInterruptedProducerFailsWithoutQueueingItsItem() throws Exception {
        try (PendingQueue<Integer> queue = new PendingQueue<>(1)) {
            queue.put(1);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread producer = new Thread(() -> {
                started.countDown();
                try {
                    queue.put(2);
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "wal4j-test-pending-producer");
            producer.start();
            started.await();
            awaitTrue(() -> queue.waitingProducers() == 1, "producer blocked");

            producer.interrupt();

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(drain(queue)).containsExactly(1);
        }
    }

    @Test
    void manyProducersAndOneConsumerLoseNothingKeepEachProducersOrderAndStayWithinBounds() throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        int maxCount = 16;
        long maxBytes = 100;
        try (PendingQueue<long[]> queue = new PendingQueue<>(maxCount, maxBytes, item -> item[2])) {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                long producer = p;
                futures.add(pool.submit(() -> {
                    for (long seq = 0; seq < perProducer; seq++) {
                        queue.put(new long[] {producer, seq, (seq * 7 + producer) % 20});
                    }
                    return null;
                }));
            }
            Map<Long, Long> nextSeq = new HashMap<>();
            for (int i = 0; i < producers * perProducer; i++) {
                long[] item = queue.take();
                assertThat(item[1]).as("producer %d order", item[0]).isEqualTo(nextSeq.getOrDefault(item[0], 0L));
                nextSeq.put(item[0], item[1] + 1);
                assertThat(queue.size()).isLessThanOrEqualTo(maxCount);
                assertThat(queue.bytes()).isLessThanOrEqualTo(maxBytes);
            }
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(nextSeq).hasSize(producers).allSatisfy((p, n) -> assertThat(n).isEqualTo(perProducer));
            assertThat(queue.poll()).isNull();
        }
    }

    @Test
    void closeRacingWithProducersAndConsumersLosesNoAcceptedItem() throws Exception {
        PendingQueue<Integer> queue = new PendingQueue<>(8);
        AtomicInteger nextItem = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> received = new ConcurrentLinkedQueue<>();
        CountDownLatch running = new CountDownLatch(6);
        List<Future<?>> threads = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            threads.add(pool.submit(() -> {
                running.countDown();
                try {
                    while (true) {
                        int item = nextItem.getAndIncrement();
                        queue.put(item);
                        accepted.add(item);
                    }
                } catch (BufferClosedException expected) {
                    return null;
                }
            }));
        }
        for (int c = 0; c < 3; c++) {
            threads.add(pool.submit(() -> {
                running.countDown();
                try {
                    while (true) {
                        received.add(queue.take());
                    }
                } catch (BufferClosedException expected) {
                    return null;
                }
            }));
        }
        running.await();
        awaitTrue(() -> received.size() > 1_000, "items flowing");

        queue.close();

        for (Future<?> f : threads) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new PendingQueue<String>(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxCount must be positive, got 0");
        assertThatThrownBy(() -> new PendingQueue<String>(1, 0, s -> 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBytes must be positive, got 0");
        assertThatThrownBy(() -> new PendingQueue<String>(1, 1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("sizeOf");
        try (PendingQueue<String> queue = new PendingQueue<>(1, 10, s -> -1)) {
            assertThatThrownBy(() -> queue.offer(null)).isInstanceOf(NullPointerException.class).hasMessage("item");
            assertThatThrownBy(() -> queue.put("x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("size of item is negative: -1");
            assertThatThrownBy(() -> queue.poll(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("timeout");
        }
    }

    private static <T> List<T> drain(PendingQueue<T> queue) {
        List<T> out = new ArrayList<>();
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            out.add(item);
        }
        return out;
    }
}
