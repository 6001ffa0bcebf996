package io.wal4j.spi.helper;

import static io.wal4j.spi.helper.HelperTestUtils.LONG;
import static io.wal4j.spi.helper.HelperTestUtils.awaitBlocked;
import static io.wal4j.spi.helper.HelperTestUtils.eventually;
import static io.wal4j.spi.helper.HelperTestUtils.fork;
import static io.wal4j.spi.helper.HelperTestUtils.mutable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.TestMessageId;
import io.wal4j.spi.helper.HelperTestUtils.Forked;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockingWALImplsTest {

    private static final String THREAD_PREFIX = "wal4j-blocking-append-orders-";

    private final FakeBackend backend = new FakeBackend();

    @AfterEach
    void noThreadIsLeftBehind() {
        eventually().until(() -> liveThreads(THREAD_PREFIX).isEmpty());
    }

    @Test
    void appendsRunOnANamedDaemonThreadAndCompleteWithTheBackendsId() throws Exception {
        try (BlockingWALImpls wal = BlockingWALImpls.create(backend)) {
            MessageId first = wal.append(mutable(1), Durability.MEMORY).get(10, TimeUnit.SECONDS);
            MessageId second = wal.append(mutable(2), Durability.DISK).get(10, TimeUnit.SECONDS);

            assertThat(first).isEqualTo(new TestMessageId("blocking", 1));
            assertThat(second).isEqualTo(new TestMessageId("blocking", 2));
            assertThat(backend.durabilities).containsExactly(Durability.MEMORY, Durability.DISK);
            assertThat(backend.threadNames).allMatch(n -> n.startsWith(THREAD_PREFIX));
            assertThat(backend.daemon).containsOnly(true);
            assertThat(wal.walName()).isEqualTo("blocking");
            assertThat(wal.channel()).isEqualTo(backend.channel());
        }
    }

    @Test
    void appendReturnsBeforeTheBackendHasStored() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        backend.behaviour = (m, d) -> {
            release.await();
            return null;
        };
        try (BlockingWALImpls wal = BlockingWALImpls.create(backend)) {
            CompletableFuture<MessageId> pending = wal.append(mutable(1), Durability.MEMORY);

            assertThat(pending).isNotDone();
            release.countDown();
            assertThat(pending).succeedsWithin(LONG);
        }
    }

    @Test
    void manyThreadsAppendingConcurrentlyAllGetDistinctIncreasingIds() throws Exception {
        int threads = 8;
        int perThread = 200;
        try (BlockingWALImpls wal = BlockingWALImpls.newBuilder(backend).queueCapacity(threads * perThread).build()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Forked<List<CompletableFuture<MessageId>>>> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                appenders.add(fork("appender-" + t, () -> {
                    start.await();
                    List<CompletableFuture<MessageId>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        futures.add(wal.append(mutable(i), Durability.MEMORY));
                    }
                    return futures;
                }));
            }
            start.countDown();

            Set<MessageId> ids = new HashSet<>();
            for (Forked<List<CompletableFuture<MessageId>>> appender : appenders) {
                MessageId previous = null;
                for (CompletableFuture<MessageId> f : appender.outcome().get(10, TimeUnit.SECONDS)) {
                    MessageId id = f.get(10, TimeUnit.SECONDS);
                    // One worker thread: one appender's calls reach the backend in the order it made them.
                    if (previous != null) {
                        assertThat(id.compareTo(previous)).isPositive();
                    }
                    previous = id;
                    ids.add(id);
                }
            }
            assertThat(ids).hasSize(threads * perThread);
        }
    }

    @Test
    void severalWorkerThreadsRunAppendsAtTheSameTime() throws Exception {
        int threads = 3;
        CountDownLatch allInside = new CountDownLatch(threads);
        backend.behaviour = (m, d) -> {
            allInside.countDown();
            // Only returns once all three appends are inside the backend at once.
            assertThat(allInside.await(10, TimeUnit.SECONDS)).isTrue();
            return null;
        };
        try (BlockingWALImpls wal = BlockingWALImpls.newBuilder(backend).threads(threads).build()) {
            List<CompletableFuture<MessageId>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(wal.append(mutable(i), Durability.MEMORY));
            }

            for (CompletableFuture<MessageId> f : futures) {
                assertThat(f).succeedsWithin(LONG);
            }
            assertThat(new HashSet<>(backend.threadNames)).hasSize(threads);
        }
    }

    @Test
    void anIOExceptionOfTheBackendFailsTheFutureWithWALStorageException() {
        IOException ioFailure = new IOException("no space left on device");
        backend.behaviour = (m, d) -> {
            throw ioFailure;
        };
        try (BlockingWALImpls wal = BlockingWALImpls.create(backend)) {
            assertThat(wal.append(mutable(1), Durability.DISK)).failsWithin(LONG)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(WALStorageException.class)
                    .withMessageContaining("orders").withMessageContaining("no space left on device")
                    .withCause(ioFailure);
        }
    }

    @Test
    void aWALExceptionOfTheBackendPassesUnchanged() {
        ChannelFencedException fenced = new ChannelFencedException("orders", 1, "a writer of term 2 took over");
        backend.behaviour = (m, d) -> {
            throw fenced;
        };
        try (BlockingWALImpls wal = BlockingWALImpls.create(backend)) {
            assertThat(wal.append(mutable(1), Durability.MEMORY)).failsWithin(LONG)
                    .withThrowableOfType(ExecutionException.class).withCause(fenced);
        }
    }

    @Test
    void aNullIdFromTheBackendFailsTheFuture() {
        backend.behaviour = (m, d) -> new NullId();
        try (BlockingWALImpls wal = BlockingWALImpls.create(backend)) {
            assertThat(wal.append(mutable(1), Durability.MEMORY)).failsWithin(LONG)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(IllegalStateException.class).withMessageContaining("null message id");
        }
    }

    @Test
    void nullArgumentsFailTheFutureInsteadOfThrowing() {
        try (BlockingWALImpls wal = BlockingWALImpls.create(backend)) {
            assertThat(wal.append(null, Durability.MEMORY)).failsWithin(LONG)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(NullPointerException.class).withMessage("message");
            assertThat(wal.append(mutable(1), null)).failsWithin(LONG)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(NullPointerException.class).withMessage("durability");
            assertThat(wal.truncate(null)).failsWithin(LONG)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(NullPointerException.class).withMessage("id");
            assertThatThrownBy(() -> wal.read(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("option");
        }
        assertThat(backend.appended).hasValue(0);
    }

    @Test
    void aFullQueueFailsTheFutureWithRejectedExecutionAndNeverThrows() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        backend.behaviour = (m, d) -> {
            inside.countDown();
            release.await();
            return null;
        };
        try (BlockingWALImpls wal = BlockingWALImpls.newBuilder(backend).queueCapacity(1).build()) {
            CompletableFuture<MessageId> running = wal.append(mutable(1), Durability.MEMORY);
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<MessageId> queued = wal.append(mutable(2), Durability.MEMORY);

            CompletableFuture<MessageId> refused = wal.append(mutable(3), Durability.MEMORY);

            assertThat(refused).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(RejectedExecutionException.class)
                    .withMessageContaining("1 calls already waiting");
            release.countDown();
            assertThat(running).succeedsWithin(LONG);
            assertThat(queued).succeedsWithin(LONG);
        }
        assertThat(backend.appended).hasValue(2);
    }

    @Test
    void appendAfterCloseFailsWithWALClosedException() {
        BlockingWALImpls wal = BlockingWALImpls.create(backend);
        wal.close();

        CompletableFuture<MessageId> append = wal.append(mutable(1), Durability.MEMORY);

        assertThat(append).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(WALClosedException.class)
                .withMessageContaining("orders")
                .havingCause().withMessageContaining("closed by thread " + Thread.currentThread().getName());
        assertThat(wal.truncate(new TestMessageId("blocking", 1))).failsWithin(LONG)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(WALClosedException.class);
        assertThatThrownBy(() -> wal.read(option())).isInstanceOf(WALClosedException.class);
        assertThat(backend.appended).hasValue(0);
    }

    @Test
    void closeWaitsForRunningAndQueuedAppendsThenClosesTheBackend() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        backend.behaviour = (m, d) -> {
            inside.countDown();
            release.await();
            return null;
        };
        BlockingWALImpls wal = BlockingWALImpls.create(backend);
        CompletableFuture<MessageId> running = wal.append(mutable(1), Durability.MEMORY);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<MessageId> queued = wal.append(mutable(2), Durability.MEMORY);
        Forked<Void> closer = fork("closer", () -> {
            wal.close();
            return null;
        });
        awaitBlocked(closer.thread());
        // close refuses new appends at once, but waits for the accepted ones.
        assertThat(wal.append(mutable(3), Durability.MEMORY)).failsWithin(LONG)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(WALClosedException.class);
        assertThat(closer.outcome()).isNotDone();
        assertThat(backend.closeCount).hasValue(0);

        release.countDown();

        closer.outcome().get(10, TimeUnit.SECONDS);
        assertThat(running.get()).isEqualTo(new TestMessageId("blocking", 1));
        assertThat(queued.get()).isEqualTo(new TestMessageId("blocking", 2));
        assertThat(backend.closeCount).hasValue(1);
        assertThat(backend.violations).isEmpty();
    }

    @Test
    void closeRacingWithAppendsLeavesEveryFutureEitherStoredOrClosed() throws Exception {
        for (int round = 0; round < 20; round++) {
            FakeBackend raced = new FakeBackend();
            BlockingWALImpls wal = BlockingWALImpls.newBuilder(raced).threads(2).queueCapacity(100_000).build();
            int appenders = 6;
            CountDownLatch start = new CountDownLatch(1);
            List<Forked<List<CompletableFuture<MessageId>>>> forks = new ArrayList<>();
            for (int t = 0; t < appenders; t++) {
                forks.add(fork("appender-" + round + "-" + t, () -> {
                    start.await();
                    List<CompletableFuture<MessageId>> futures = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        futures.add(wal.append(mutable(i), Durability.MEMORY));
                    }
                    return futures;
                }));
            }
            Forked<Void> closer = fork("closer-" + round, () -> {
                start.await();
                wal.close();
                return null;
            });

            start.countDown();

            closer.outcome().get(10, TimeUnit.SECONDS);
            int stored = 0;
            for (Forked<List<CompletableFuture<MessageId>>> f : forks) {
                for (CompletableFuture<MessageId> append : f.outcome().get(10, TimeUnit.SECONDS)) {
                    // close has returned: every accepted append has already completed.
                    assertThat(append).isDone();
                    try {
                        append.join();
                        stored++;
                    } catch (java.util.concurrent.CompletionException e) {
                        assertThat(e.getCause()).isInstanceOf(WALClosedException.class);
                    }
                }
            }
            assertThat(stored).isEqualTo(raced.appended.get());
            assertThat(raced.closeCount).hasValue(1);
            assertThat(raced.violations).isEmpty();
        }
    }

    @Test
    void closeFromACompletionCallbackOnTheWorkerThreadDoesNotDeadlock() throws Exception {
        BlockingWALImpls wal = BlockingWALImpls.create(backend);
        CompletableFuture<Void> closedInCallback = wal.append(mutable(1), Durability.MEMORY)
                .thenRun(wal::close);

        assertThat(closedInCallback).succeedsWithin(LONG);
        eventually().untilAsserted(() -> assertThat(backend.closeCount).hasValue(1));
        assertThat(wal.append(mutable(2), Durability.MEMORY)).failsWithin(LONG)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(WALClosedException.class);
    }

    @Test
    void closeGivesUpAfterItsTimeoutInterruptingRunningAppendsAndFailingQueuedOnes() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        backend.behaviour = (m, d) -> {
            inside.countDown();
            never.await();
            return null;
        };
        BlockingWALImpls wal = BlockingWALImpls.newBuilder(backend).closeTimeout(Duration.ofMillis(50)).build();
        CompletableFuture<MessageId> stuck = wal.append(mutable(1), Durability.MEMORY);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<MessageId> queued = wal.append(mutable(2), Durability.MEMORY);

        wal.close();

        assertThat(queued).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(WALClosedException.class);
        // The stuck append was interrupted out of its wait.
        assertThat(stuck).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(WALStorageException.class)
                .withCauseInstanceOf(InterruptedIOException.class);
        assertThat(backend.closeCount).hasValue(1);
    }

    @Test
    void closeIsIdempotentAndConcurrentClosesCloseTheBackendOnce() throws Exception {
        BlockingWALImpls wal = BlockingWALImpls.create(backend);
        wal.append(mutable(1), Durability.MEMORY).get(10, TimeUnit.SECONDS);
        CountDownLatch start = new CountDownLatch(1);
        List<Forked<Void>> closers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            closers.add(fork("closer-" + i, () -> {
                start.await();
                wal.close();
                return null;
            }));
        }

        start.countDown();

        for (Forked<Void> closer : closers) {
            closer.outcome().get(10, TimeUnit.SECONDS);
        }
        wal.close();
        eventually().untilAsserted(() -> assertThat(backend.closeCount).hasValue(1));
    }

    @Test
    void aBackendThatFailsToCloseDoesNotMakeCloseThrow() {
        backend.closeFailure = new IOException("close failed");
        BlockingWALImpls wal = BlockingWALImpls.create(backend);

        wal.close();

        assertThat(backend.closeCount).hasValue(1);
    }

    @Test
    void truncateRunsOnTheWorkerAndMapsIOExceptions() throws Exception {
        try (BlockingWALImpls wal = BlockingWALImpls.create(backend)) {
            TestMessageId id = new TestMessageId("blocking", 5);
            wal.truncate(id).get(10, TimeUnit.SECONDS);
            assertThat(backend.truncatedUpTo).containsExactly(id);
            assertThat(backend.threadNames).allMatch(n -> n.startsWith(THREAD_PREFIX));

            backend.truncateFailure = new IOException("cannot delete segment");
            assertThat(wal.truncate(id)).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(WALStorageException.class);
        }
    }

    @Test
    void scannersStillRunningAreClosedWithTheWAL() throws Exception {
        BlockingWALImpls wal = BlockingWALImpls.create(backend);
        ScannerImpls running = wal.read(option());
        ScannerImpls ended = wal.read(option());
        ended.close();
        Forked<Object> consumer = fork("consumer", running::take);
        awaitBlocked(consumer.thread());

        wal.close();

        assertThat(consumer.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(WALClosedException.class);
        assertThat(running.done()).isCompleted();
    }

    @Test
    void badBuilderSettingsAreRefused() {
        assertThatThrownBy(() -> BlockingWALImpls.newBuilder(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("backend");
        BlockingWALImpls.Builder builder = BlockingWALImpls.newBuilder(backend);
        assertThatThrownBy(() -> builder.threads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> builder.queueCapacity(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> builder.closeTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> builder.closeTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("closeTimeout");
        // An absurdly long timeout is accepted as "forever".
        builder.closeTimeout(Duration.ofSeconds(Long.MAX_VALUE)).build().close();
    }

    private static ReadOptionImpls option() {
        return new ReadOptionImpls("orders/1/1", DeliverPolicy.all(), 4);
    }

    private static Set<Thread> liveThreads(String prefix) {
        Set<Thread> live = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                live.add(t);
            }
        }
        return live;
    }

    /** Decides what one append does; returning null means "assign the next id". */
    @FunctionalInterface
    interface Behaviour {
        MessageId append(MutableMessage message, Durability durability) throws Exception;
    }

    /** Marker: the behaviour wants the backend to return a null id. */
    private record NullId() implements MessageId {
        @Override
        public String walName() {
            return "blocking";
        }

        @Override
        public byte[] marshal() {
            return new byte[0];
        }

        @Override
        public int compareTo(MessageId other) {
            return 0;
        }
    }

    /** A backend that records what reaches it and checks nothing runs after its close. */
    private static final class FakeBackend implements BlockingWALBackend {
        final PChannelInfo channel = PChannelInfo.readWrite("orders", 1);
        final AtomicLong nextId = new AtomicLong();
        final AtomicInteger appended = new AtomicInteger();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger closeCount = new AtomicInteger();
        final List<String> threadNames = new CopyOnWriteArrayList<>();
        final List<Boolean> daemon = new CopyOnWriteArrayList<>();
        final List<Durability> durabilities = new CopyOnWriteArrayList<>();
        final List<MessageId> truncatedUpTo = new CopyOnWriteArrayList<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final Set<ScannerHelper> scanners = ConcurrentHashMap.newKeySet();
        volatile Behaviour behaviour = (m, d) -> null;
        volatile IOException truncateFailure;
        volatile IOException closeFailure;

        @Override
        public String walName() {
            return "blocking";
        }

        @Override
        public PChannelInfo channel() {
            return channel;
        }

        @Override
        public MessageId append(MutableMessage message, Durability durability) throws IOException {
            inside.incrementAndGet();
            try {
                if (closeCount.get() > 0) {
                    violations.add("append after close");
                }
                threadNames.add(Thread.currentThread().getName());
                daemon.add(Thread.currentThread().isDaemon());
                durabilities.add(durability);
                MessageId decided = behaviour.append(message, durability);
                if (decided instanceof NullId) {
                    return null;
                }
                appended.incrementAndGet();
                return decided != null ? decided : new TestMessageId("blocking", nextId.incrementAndGet());
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                // As a blocking backend would: keep the interrupt, report it as an interrupted I/O.
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("append interrupted");
                interrupted.initCause(e);
                throw interrupted;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public void truncate(MessageId id) throws IOException {
            threadNames.add(Thread.currentThread().getName());
            if (truncateFailure != null) {
                throw truncateFailure;
            }
            truncatedUpTo.add(id);
        }

        @Override
        public ScannerImpls read(ReadOptionImpls option) {
            ScannerHelper helper = new ScannerHelper(option);
            helper.onCancel(() -> helper.finish(null));
            scanners.add(helper);
            return helper;
        }

        @Override
        public void close() throws IOException {
            if (inside.get() > 0) {
                violations.add("close while " + inside.get() + " appends were inside");
            }
            closeCount.incrementAndGet();
            if (closeFailure != null) {
                throw closeFailure;
            }
        }
    }
}
