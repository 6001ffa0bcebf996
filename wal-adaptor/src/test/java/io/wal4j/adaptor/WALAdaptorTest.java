package io.wal4j.adaptor;

import io.wal4j.api.AppendResult;
import java.util.Map;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.Durability;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALMetrics;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.ReservedProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.wal4j.adaptor.AdaptorTestUtils.message;
import static io.wal4j.adaptor.AdaptorTestUtils.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WALAdaptorTest {

    private final FakeBackend backend = new FakeBackend();
    private Opener opener;
    private WAL wal;

    @BeforeEach
    void open() {
        opener = WALRegistry.builder(backend).build(AdaptorTestUtils.fastRetries());
        wal = opener.open(OpenOption.readWrite("orders", 3));
    }

    @AfterEach
    void close() {
        opener.close();
    }

    private FakeBackend.FakeWAL backendWAL() {
        return backend.wals.get(0);
    }

    @Test
    void appendStoresACopyStampedWithTheTermAndLeavesTheCallersMessageAlone() {
        MutableMessage mine = message("hello");

        AppendResult result = wal.append(mine);

        assertThat(result.messageId()).isEqualTo(new FakeBackend.FakeId(0));
        assertThat(result.durability()).isEqualTo(Durability.MEMORY);
        assertThat(result.extra()).isEmpty();
        ImmutableMessage stored = backend.stored("orders").get(0);
        assertThat(text(stored.payload())).isEqualTo("hello");
        assertThat(stored.term()).hasValue(3);
        assertThat(mine.properties()).doesNotContainKey(ReservedProperties.TERM);
    }

    @Test
    void theSameMessageMayBeAppendedTwice() {
        MutableMessage mine = message("twice");

        MessageId first = wal.append(mine).messageId();
        MessageId second = wal.append(mine).messageId();

        assertThat(first.isBefore(second)).isTrue();
        assertThat(backend.stored("orders")).hasSize(2);
    }

    @Test
    void appendAsyncNeverThrowsForNull() {
        CompletableFuture<AppendResult> nullMessage = wal.appendAsync(null);
        CompletableFuture<AppendResult> nullTimeout = wal.appendAsync(message("x"), null);
        CompletableFuture<AppendResult> negativeTimeout = wal.appendAsync(message("x"), Duration.ofMillis(-1));

        assertThat(nullMessage).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOf(NullPointerException.class).withMessage("message");
        assertThat(nullTimeout).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOf(NullPointerException.class).withMessage("timeout");
        assertThat(negativeTimeout).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOf(IllegalArgumentException.class).withMessageContaining("-0.001S");
        assertThat(backendWAL().attempts).hasValue(0);
    }

    @Test
    void appendOfNullThrowsNullPointerExceptionNamingTheArgument() {
        assertThatThrownBy(() -> wal.append(null)).isInstanceOf(NullPointerException.class).hasMessage("message");
    }

    @Test
    void appendRethrowsTheFailureUnwrapped() {
        IllegalArgumentException refused = new IllegalArgumentException("backend refuses");
        backend.hook = (w, m) -> CompletableFuture.failedFuture(refused);

        assertThatThrownBy(() -> wal.append(message("x"))).isSameAs(refused);
    }

    @Test
    void aSelfControlledTypeFromTheUserIsRefused() {
        MutableMessage timeTick = MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build();

        assertThatThrownBy(() -> wal.append(timeTick)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TimeTick").hasMessageContaining("self-controlled");
        assertThat(wal.appendAsync(timeTick)).isCompletedExceptionally();
        assertThat(backendWAL().attempts).hasValue(0);
    }

    @Test
    void aMessageOverTheBackendsLimitIsRefusedWithoutReachingIt() {
        MutableMessage big = MutableMessage.newBuilder().payload(new byte[(int) FakeBackend.MAX_MESSAGE_BYTES]).build();

        assertThatThrownBy(() -> wal.append(big)).isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
            assertThat(e.limit()).isEqualTo(FakeBackend.MAX_MESSAGE_BYTES);
            assertThat(e.size()).isGreaterThan(FakeBackend.MAX_MESSAGE_BYTES);
        });
        assertThat(backendWAL().attempts).hasValue(0);
    }

    @Test
    void appendAfterCloseFailsWithWALClosedExceptionCausedByTheCloser() {
        wal.close();

        assertThat(wal.appendAsync(message("late"))).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOf(WALClosedException.class)
                .withMessageContaining("orders")
                .havingCause().withMessageContaining("closed by thread " + Thread.currentThread().getName());
        assertThatThrownBy(() -> wal.append(message("late"))).isInstanceOf(WALClosedException.class)
                .hasRootCauseMessage("WAL orders:rw@3 closed by thread " + Thread.currentThread().getName());
        assertThatThrownBy(() -> wal.read(io.wal4j.api.ReadOption.all())).isInstanceOf(WALClosedException.class)
                .cause().isNotNull();
    }

    @Test
    void closeWaitsForInFlightAsyncAppends() throws Exception {
        BlockingQueue<FakeBackend.Held> held = backend.holdAppends();
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(wal.appendAsync(message("m" + i)));
        }
        List<FakeBackend.Held> pending = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pending.add(held.poll(10, TimeUnit.SECONDS));
        }

        CompletableFuture<Void> closed = CompletableFuture.runAsync(wal::close);
        await().until(() -> !wal.isAvailable());
        assertThat(wal.appendAsync(message("refused"))).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingCause().isInstanceOf(WALClosedException.class);
        pending.get(0).store();
        pending.get(1).store();
        assertThat(closed).isNotDone();
        assertThat(backend.events).doesNotContain("close orders:rw@3");

        pending.get(2).store();

        closed.get(10, TimeUnit.SECONDS);
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(backend.events).contains("close orders:rw@3");
        assertThat(backend.stored("orders")).hasSize(3);
    }

    @Test
    void closeRacingWithManyAppendersNeitherHangsNorLosesAnAppend() throws Exception {
        ExecutorService storage = Executors.newFixedThreadPool(2);
        backend.hook = (w, m) -> CompletableFuture.supplyAsync(() -> w.store(m), storage);
        int threads = 8;
        int perThread = 300;
        CountDownLatch start = new CountDownLatch(1);
        List<List<CompletableFuture<AppendResult>>> all = new ArrayList<>();
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
            all.add(mine);
            int id = t;
            Thread appender = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    mine.add(wal.appendAsync(message(id + "-" + i)));
                }
            }, "test-appender-" + t);
            appender.start();
            appenders.add(appender);
        }
        start.countDown();
        await().until(() -> backend.stored("orders").size() >= 100);

        wal.close();

        for (Thread appender : appenders) {
            appender.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(appender.isAlive()).isFalse();
        }
        storage.shutdown();
        Set<String> succeeded = new HashSet<>();
        Set<MessageId> ids = new HashSet<>();
        for (List<CompletableFuture<AppendResult>> mine : all) {
            assertThat(mine).hasSize(perThread);
            for (CompletableFuture<AppendResult> f : mine) {
                assertThat(f).isDone();
                if (f.isCompletedExceptionally()) {
                    assertThat(f).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                            .isInstanceOf(WALClosedException.class);
                } else {
                    assertThat(ids.add(f.join().messageId())).isTrue();
                }
            }
        }
        for (ImmutableMessage stored : backend.stored("orders")) {
            succeeded.add(text(stored.payload()));
        }
        assertThat(ids).hasSize(backend.stored("orders").size());
        assertThat(succeeded).hasSize(ids.size());
        WALMetrics metrics = wal.metrics();
        assertThat(metrics.appends()).isEqualTo(ids.size());
        assertThat(metrics.appends() + metrics.appendFailures()).isEqualTo((long) threads * perThread);
    }

    @Test
    void anInterruptedAppendThrowsWALClosedExceptionAndKeepsTheInterrupt() throws Exception {
        BlockingQueue<FakeBackend.Held> held = backend.holdAppends();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread appender = new Thread(() -> {
            try {
                wal.append(message("slow"));
            } catch (RuntimeException e) {
                thrown.set(e);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "test-interrupted-appender");
        appender.start();
        FakeBackend.Held pending = held.poll(10, TimeUnit.SECONDS);

        appender.interrupt();
        appender.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(thrown.get()).isInstanceOf(WALClosedException.class).hasMessageContaining("interrupted");
        assertThat(interruptedAfter.get()).isTrue();
        pending.store();
        await().until(() -> wal.metrics().appends() == 1);
    }

    @Test
    void appendAsyncWithATimeoutFailsWithTimeoutException() throws Exception {
        BlockingQueue<FakeBackend.Held> held = backend.holdAppends();

        CompletableFuture<AppendResult> future = wal.appendAsync(message("late"), Duration.ofMillis(20));

        assertThat(future).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class);
        held.poll(10, TimeUnit.SECONDS).store();
        assertThat(backend.stored("orders")).hasSize(1);
        // The caller saw a failure: the append counts as one, not as acknowledged, though the backend stored it.
        await().until(() -> wal.metrics().appendFailures() == 1);
        assertThat(wal.metrics().appends()).isZero();
    }

    @Test
    void metricsCountAppendsBytesAndFailures() {
        wal.append(message("12345"));
        wal.appendAsync(null);

        WALMetrics metrics = wal.metrics();

        assertThat(metrics.channel()).isEqualTo(wal.channel());
        assertThat(metrics.appends()).isEqualTo(1);
        assertThat(metrics.appendBytes()).isEqualTo(backend.stored("orders").get(0).estimateSize());
        assertThat(metrics.appendFailures()).isEqualTo(1);
        assertThat(metrics.backendAppendNanos()).isPositive();
        assertThat(metrics.activeScanners()).isZero();
    }

    @Test
    void availableCompletesNormallyOnClose() {
        CompletableFuture<Void> available = wal.available();
        assertThat(wal.isAvailable()).isTrue();
        assertThat(available).isNotDone();

        wal.close();

        assertThat(available).isCompleted();
        assertThat(wal.isAvailable()).isFalse();
        assertThat(wal.available()).isCompleted();
    }

    @Test
    void closeIsIdempotentAndClosesTheBackendOnce() {
        wal.close();
        wal.close();

        assertThat(backend.events).containsOnlyOnce("close orders:rw@3");
    }

    @Test
    void closeCalledFromAnAppendCallbackDoesNotDeadlock() {
        CompletableFuture<AppendResult> appended = wal.appendAsync(message("x"));
        CompletableFuture<AppendResult> last = new CompletableFuture<>();
        BlockingQueue<FakeBackend.Held> held = backend.holdAppends();
        CompletableFuture<AppendResult> inFlight = wal.appendAsync(message("y"));
        inFlight.whenComplete((r, e) -> {
            wal.close();
            last.complete(r);
        });

        await().until(() -> !held.isEmpty());
        held.poll().store();

        assertThat(last).succeedsWithin(Duration.ofSeconds(10));
        assertThat(appended).isCompleted();
        await().until(() -> backend.events.contains("close orders:rw@3"));
    }

    @Test
    void appendsAreAcknowledgedInTheOrderTheBackendCompletedThem() throws Exception {
        ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-backend-io"));
        // The backend holds everything until every callback is attached, then stores and completes in id order.
        CountDownLatch submitted = new CountDownLatch(1);
        backend.hook = (w, m) -> CompletableFuture.supplyAsync(() -> {
            try {
                submitted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return w.store(m);
        }, io);
        List<MessageId> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread appender = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    wal.appendAsync(message("m")).thenAccept(r -> acknowledged.add(r.messageId()));
                }
            }, "test-appender-" + t);
            appender.start();
            appenders.add(appender);
        }
        for (Thread appender : appenders) {
            appender.join();
        }
        submitted.countDown();

        await().until(() -> acknowledged.size() == 800);
        io.shutdown();

        assertThat(acknowledged).isSortedAccordingTo(MessageId::compareTo);
    }

    @Test
    void aSynchronousAppendFromAnAppendCallbackIsRefusedInsteadOfDeadlocking() {
        CompletableFuture<Throwable> nested = new CompletableFuture<>();
        BlockingQueue<FakeBackend.Held> held = backend.holdAppends();
        wal.appendAsync(message("outer")).whenComplete((r, e) -> {
            try {
                wal.append(message("inner"));
                nested.complete(null);
            } catch (RuntimeException thrown) {
                nested.complete(thrown);
            }
        });
        await().until(() -> !held.isEmpty());

        held.poll().store();

        assertThat(nested).succeedsWithin(Duration.ofSeconds(10))
                .isInstanceOf(IllegalStateException.class);
        assertThat(nested.join()).hasMessageContaining("appendAsync");
    }

    @Test
    void openGivesUpAfterTheOpenTimeoutWhenTheFirstTimeTickKeepsFailingTransiently() {
        WALStorageException down = new WALStorageException("disk unavailable");
        backend.hook = (w, m) -> CompletableFuture.failedFuture(down);
        try (Opener ticking = WALRegistry.builder(backend).build(WALConfig.of(Map.of(
                AdaptorConfig.APPEND_RETRY_INITIAL.name(), "1ms", AdaptorConfig.APPEND_RETRY_MAX.name(), "5ms",
                AdaptorConfig.OPEN_TIMEOUT.name(), "100ms")))) {
            assertThatThrownBy(() -> ticking.open(OpenOption.readWrite("stuck", 1)))
                    .isInstanceOf(WALStorageException.class)
                    .hasMessageContaining("wal.adaptor.open-timeout")
                    .satisfies(e -> assertThat(e.getSuppressed()).contains(down));
            int attempts = backend.wals.get(backend.wals.size() - 1).attempts.get();
            assertThat(attempts).as("retried before giving up").isGreaterThan(1);
            backend.hook = FakeBackend.AppendHook.STORE;
            WAL recovered = ticking.open(OpenOption.readWrite("stuck", 2));
            assertThat(recovered.append(message("after")).messageId()).isNotNull();
        }
    }

    @Test
    void anAppendToABackendThatStoresSynchronouslyIsCompleteWhenReturnedAndItsCallbacksRunOnTheCaller() {
        Thread caller = Thread.currentThread();
        CompletableFuture<AppendResult> future = wal.appendAsync(message("sync"));

        assertThat(future).isDone();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        future.thenRun(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).isSameAs(caller);
        assertThat(AdaptorTestUtils.liveThreads("wal4j-append-orders")).as("no completion hand-off").isEmpty();
    }

    @Test
    void closeFromTheCallbackOfAnAppendThatSucceededOnRetryDoesNotDeadlock() {
        AtomicBoolean first = new AtomicBoolean(true);
        backend.hook = (w, m) -> text(m.payload()).equals("y") && first.getAndSet(false)
                ? CompletableFuture.failedFuture(new WALStorageException("transient"))
                : CompletableFuture.completedFuture(w.store(m));
        CompletableFuture<Void> closedInCallback = new CompletableFuture<>();

        wal.appendAsync(message("y")).whenComplete((r, e) -> {
            wal.close();
            closedInCallback.complete(null);
        });

        assertThat(closedInCallback).succeedsWithin(Duration.ofSeconds(10));
        await().until(() -> !wal.isAvailable());
        assertThat(backend.stored("orders")).hasSize(1);
    }

    @Test
    void closeFromTheCallbackOfAnAppendGrantedItsLockByAnotherAppendDoesNotDeadlock() throws Exception {
        MessageType flush = MessageType.define("walAdaptorTest-flush", true);
        MessageType insert = MessageType.define("walAdaptorTest-insert");
        CountDownLatch inBackend = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        backend.hook = (w, m) -> {
            if (m.messageType().equals(flush)) {
                inBackend.countDown();
                try {
                    release.await(); // a synchronous backend call that takes a while
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return CompletableFuture.completedFuture(w.store(m));
        };
        try (Opener ticking = WALRegistry.builder(backend).build(AdaptorTestUtils.timeTicks())) {
            WAL locked = ticking.open(OpenOption.readWrite("locked", 1));
            CompletableFuture<AppendResult> exclusive = CompletableFuture.supplyAsync(() -> locked.append(
                    MutableMessage.newBuilder().messageType(flush).vchannel("v").build()));
            assertThat(inBackend.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<AppendResult> waiting = locked.appendAsync(
                    MutableMessage.newBuilder().messageType(insert).vchannel("v").build());
            assertThat(waiting).as("queued behind the exclusive message").isNotDone();
            CompletableFuture<Void> closedInCallback = new CompletableFuture<>();
            waiting.whenComplete((r, e) -> {
                locked.close();
                closedInCallback.complete(null);
            });

            release.countDown();

            assertThat(exclusive).succeedsWithin(Duration.ofSeconds(10));
            assertThat(closedInCallback).succeedsWithin(Duration.ofSeconds(10));
            assertThat(waiting).isCompleted();
            await().until(() -> !locked.isAvailable());
        }
    }

    @Test
    void closingLeavesNoWALThreadBehind() {
        BlockingQueue<FakeBackend.Held> held = backend.holdAppends();
        List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            appends.add(wal.appendAsync(message("m" + i)));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
        await().until(() -> {
            for (FakeBackend.Held h = held.poll(); h != null; h = held.poll()) {
                h.store(); // completed later, from another thread: handed to the completion thread
            }
            return all.isDone();
        });
        assertThat(all).succeedsWithin(Duration.ofSeconds(10));
        assertThat(AdaptorTestUtils.liveThreads("wal4j-append-orders")).isNotEmpty();

        wal.close();

        await().until(() -> AdaptorTestUtils.liveThreads("wal4j-append-orders").isEmpty()
                && AdaptorTestUtils.liveThreads("wal4j-retry-orders").isEmpty());
    }
}
