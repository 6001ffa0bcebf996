package io.wal4j.spi.helper;

import static io.wal4j.spi.helper.HelperTestUtils.LONG;
import static io.wal4j.spi.helper.HelperTestUtils.awaitBlocked;
import static io.wal4j.spi.helper.HelperTestUtils.fork;
import static io.wal4j.spi.helper.HelperTestUtils.message;
import static io.wal4j.spi.helper.HelperTestUtils.mutable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.TestMessageId;
import io.wal4j.spi.helper.HelperTestUtils.Forked;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ChannelCore} and the {@link ChannelWAL} around it. */
class ChannelCoreTest {

    private static final Capabilities CAPABILITIES = new Capabilities(EnumSet.of(Durability.MEMORY),
            Durability.MEMORY, true, true, true, false, 1000);

    private final TestLog log = new TestLog();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicLong nextId = new AtomicLong();
    private final ChannelCore<PullScanner> core = new ChannelCore<>("test", PChannelInfo.readWrite("c", 3),
            new ChannelCore.Reader<>() {
                @Override
                public PullScanner open(ReadOptionImpls option, Runnable onClose) {
                    return new PullScanner(option.name(), "scanner " + option.name(), log.cursor(), () -> {
                        events.add("scanner " + option.name() + " closed");
                        onClose.run();
                    });
                }

                @Override
                public Optional<ImmutableMessage> readLast() {
                    return Optional.of(message(41));
                }
            }, () -> events.add("release"), closed -> events.add("onClosed"));

    private final ChannelWAL wal = new ChannelWAL(core, CAPABILITIES, new ChannelWAL.Writes() {
        @Override
        public CompletableFuture<MessageId> append(MutableMessage message, long size) {
            return store(message, size);
        }

        @Override
        public CompletableFuture<Void> truncate(MessageId id) {
            if (!id.walName().equals("test")) {
                throw new IllegalArgumentException("foreign id " + id);
            }
            events.add("truncated " + id);
            return CompletableFuture.completedFuture(null);
        }
    });

    @AfterEach
    void closeCore() {
        core.close();
    }

    private static ReadOptionImpls option(String name) {
        return new ReadOptionImpls(name, DeliverPolicy.all(), 16);
    }

    private CompletableFuture<MessageId> store(MutableMessage message, long size) {
        events.add("stored " + size);
        return CompletableFuture.completedFuture(new TestMessageId("test", nextId.getAndIncrement()));
    }

    @Test
    void readCreatesARegisteredScannerAndAClosedScannerIsForgotten() {
        ScannerImpls first = core.read(option("a"));
        ScannerImpls second = core.read(option("b"));
        log.append(message(0));
        assertThat(first.poll(LONG).id()).isEqualTo(new TestMessageId("test", 0));
        assertThat(second.poll(LONG).id()).isEqualTo(new TestMessageId("test", 0));
        assertThat(core.scanners()).hasSize(2);
        first.close();
        assertThat(core.scanners()).containsExactly((PullScanner) second);
        assertThat(core.walName()).isEqualTo("test");
        assertThat(core.channel()).isEqualTo(PChannelInfo.readWrite("c", 3));
        assertThat(core.readLast().map(ImmutableMessage::id)).contains(new TestMessageId("test", 41));
    }

    @Test
    void closeReleasesThenClosesTheScannersThenCallsOnClosedOnceAndWakesABlockedConsumer() {
        ScannerImpls scanner = core.read(option("a"));
        Forked<ImmutableMessage> taker = fork("take", scanner::take);
        awaitBlocked(taker.thread());
        core.close();
        core.close();
        assertThat(events).containsExactly("release", "scanner a closed", "onClosed");
        assertThat(taker.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(WALClosedException.class);
        assertThat(scanner.done()).isCompleted().isNotCompletedExceptionally();
    }

    @Test
    void callsAfterCloseFailWithWALClosedExceptionNamingTheChannel() {
        core.close();
        assertThatThrownBy(() -> core.read(option("late"))).isInstanceOf(WALClosedException.class)
                .hasMessageContaining("test WAL c:rw@3 is closed");
        assertThatThrownBy(core::readLast).isInstanceOf(WALClosedException.class);
        assertThat(wal.append(mutable(1), Durability.MEMORY))
                .failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(WALClosedException.class);
        assertThat(core.guardAsync(() -> CompletableFuture.completedFuture("x"))).isCompletedExceptionally();
        assertThat(core.isClosed()).isTrue();
    }

    @Test
    void appendRefusesNullsUnsupportedLevelsAndOversizeMessagesAsFailedFuturesWithoutStoring() {
        assertThat(failure(wal.append(null, Durability.MEMORY)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("message");
        assertThat(failure(wal.append(mutable(1), null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("durability");
        assertThat(failure(wal.append(mutable(1), Durability.DISK)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DISK")
                .hasMessageContaining("test backend");
        MutableMessage over = MutableMessage.newBuilder().payload(new byte[1001]).build();
        Throwable tooLarge = failure(wal.append(over, Durability.MEMORY));
        assertThat(tooLarge).isInstanceOf(MessageTooLargeException.class);
        assertThat(((MessageTooLargeException) tooLarge).limit()).isEqualTo(1000);
        assertThat(events).isEmpty();
    }

    @Test
    void appendWithinTheLimitReachesTheStorageWithItsSize() {
        MutableMessage atLimit = MutableMessage.newBuilder().payload(new byte[1000]).build();
        assertThat(atLimit.estimateSize()).isEqualTo(1000);
        assertThat(wal.append(atLimit, Durability.MEMORY).join())
                .isEqualTo(new TestMessageId("test", 0));
        assertThat(events).containsExactly("stored 1000");
    }

    @Test
    void truncateRefusesANullIdAndAnInvalidOneAsFailedFuturesAndIsRefusedAfterClose() {
        assertThat(failure(wal.truncate(null))).isInstanceOf(NullPointerException.class);
        MessageId foreign = new TestMessageId("other", 4);
        assertThat(failure(wal.truncate(foreign))).isInstanceOf(IllegalArgumentException.class);
        assertThat(wal.truncate(new TestMessageId("test", 4))).isCompleted();
        assertThat(events).containsExactly("truncated " + new TestMessageId("test", 4));
        wal.close();
        assertThat(failure(wal.truncate(new TestMessageId("test", 5)))).isInstanceOf(WALClosedException.class);
        assertThat(wal.walName()).isEqualTo("test");
        assertThat(wal.channel()).isEqualTo(core.channel());
    }

    @Test
    void aRuntimeExceptionOfAGuardedAsynchronousCallBecomesAFailedFuture() {
        IllegalArgumentException invalid = new IllegalArgumentException("foreign id");
        assertThat(failure(core.guardAsync(() -> {
            throw invalid;
        }))).isSameAs(invalid);
    }

    @Test
    void failEndsLiveAndConcurrentScannersAndLaterReadsButCloseStillWorks() {
        PullScanner live = (PullScanner) core.read(option("a"));
        WALStorageException cause = new WALStorageException("crashed");
        core.fail(cause, PullScanner::fail);
        core.fail(new WALStorageException("a later failure is ignored"), PullScanner::fail);
        assertThat(live.done()).isCompletedExceptionally();
        assertThatThrownBy(live::take).isSameAs(cause);
        assertThatThrownBy(() -> core.read(option("b"))).isSameAs(cause);
        assertThatThrownBy(core::readLast).isSameAs(cause);
        core.close();
        assertThat(events).containsExactly("release", "scanner a closed", "onClosed");
    }

    @Test
    void closeWaitsForACallInFlight() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Forked<String> call = fork("call", () -> core.guard(() -> {
            entered.countDown();
            try {
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add("call done");
            return "done";
        }));
        entered.await();
        Forked<Void> closing = fork("close", () -> {
            core.close();
            return null;
        });
        awaitBlocked(closing.thread());
        assertThat(events).isEmpty();
        leave.countDown();
        assertThat(call.outcome().get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("done");
        closing.outcome().get(LONG.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(events).containsExactly("call done", "release", "onClosed");
    }

    @Test
    void appendsRacingWithCloseEachEitherStoreOrFailWithWALClosedException() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<CompletableFuture<MessageId>>> appends = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                long n = i;
                appends.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    return wal.append(mutable(n), Durability.MEMORY);
                }, pool));
            }
            start.countDown();
            core.close();
            int stored = 0;
            for (CompletableFuture<CompletableFuture<MessageId>> outer : appends) {
                CompletableFuture<MessageId> append = outer.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(append).isDone();
                if (append.isCompletedExceptionally()) {
                    assertThat(failure(append)).isInstanceOf(WALClosedException.class);
                } else {
                    stored++;
                }
            }
            long storedEvents = events.stream().filter(e -> e.startsWith("stored")).count();
            assertThat(storedEvents).as("every stored append was acknowledged, none after close").isEqualTo(stored);
            assertThat(events.indexOf("release")).isEqualTo(stored);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThrowingReleaseStillClosesTheScannersAndCallsOnClosed() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ChannelCore<PullScanner> broken = new ChannelCore<>("test", PChannelInfo.readWrite("c", 1),
                new ChannelCore.Reader<>() {
                    @Override
                    public PullScanner open(ReadOptionImpls option, Runnable onClose) {
                        return new PullScanner(option.name(), "scanner", log.cursor(), () -> seen.add("scanner"));
                    }

                    @Override
                    public Optional<ImmutableMessage> readLast() {
                        return Optional.empty();
                    }
                }, () -> {
                    throw new IllegalStateException("release failed");
                }, closed -> seen.add("onClosed"));
        broken.read(option("a"));
        assertThatThrownBy(broken::close).isInstanceOf(IllegalStateException.class);
        assertThat(seen).containsExactly("scanner", "onClosed");
    }

    private static Throwable failure(CompletableFuture<?> future) {
        assertThat(future).isDone();
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failed future");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
