package io.wal4j.spi.helper;

import static io.wal4j.spi.helper.HelperTestUtils.LONG;
import static io.wal4j.spi.helper.HelperTestUtils.awaitBlocked;
import static io.wal4j.spi.helper.HelperTestUtils.eventually;
import static io.wal4j.spi.helper.HelperTestUtils.fork;
import static io.wal4j.spi.helper.HelperTestUtils.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.TestMessageId;
import io.wal4j.spi.helper.HelperTestUtils.Forked;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScannerHelperTest {

    private static ScannerHelper helper(int capacity) {
        return new ScannerHelper("scanner-1", capacity, LONG);
    }

    /** A helper whose (absent) producer finishes as soon as it is cancelled, so closing it never waits. */
    private static ScannerHelper selfFinishing(int capacity) {
        ScannerHelper helper = helper(capacity);
        helper.onCancel(() -> helper.finish(null));
        return helper;
    }

    /** A producer that offers 0..count-1, then finishes with {@code failure} (or normally), stopping if cancelled. */
    private static Forked<Integer> produce(ScannerHelper helper, int count, Throwable failure) {
        return fork("producer", () -> {
            int offered = 0;
            try {
                for (int i = 0; i < count; i++) {
                    if (!helper.offer(message(i))) {
                        helper.finish(null);
                        return offered;
                    }
                    offered++;
                }
                helper.finish(failure);
                return offered;
            } catch (Throwable t) {
                helper.finish(t);
                throw t;
            }
        });
    }

    @Test
    void nameAndCapacityComeFromTheReadOption() throws Exception {
        try (ScannerHelper helper = new ScannerHelper(new ReadOptionImpls("orders/1/7", DeliverPolicy.all(), 2))) {
            assertThat(helper.name()).isEqualTo("orders/1/7");
            assertThat(helper.offer(message(0))).isTrue();
            assertThat(helper.offer(message(1))).isTrue();
            Forked<Boolean> third = fork("third", () -> helper.offer(message(2)));
            awaitBlocked(third.thread());
            assertThat(third.outcome()).isNotDone();
            // A finish while another thread still offers is a second producer: that offer fails loudly.
            helper.finish(null);
            assertThat(third.outcome()).failsWithin(LONG)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aConsumerReceivesEveryOfferedMessageInOrderThroughASmallBuffer() throws Exception {
        int count = 2_000;
        try (ScannerHelper helper = helper(3)) {
            Forked<Integer> producer = produce(helper, count, null);

            for (int i = 0; i < count; i++) {
                ImmutableMessage m = helper.take();
                assertThat(m.id()).isEqualTo(new TestMessageId("test", i));
                assertThat(m.property("n")).isEqualTo(Long.toString(i));
            }

            assertThat(producer.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(count);
            assertThatThrownBy(helper::take).isInstanceOf(WALClosedException.class).hasMessageContaining("ended");
            assertThat(helper.done()).succeedsWithin(LONG);
        }
    }

    @Test
    void pollReturnsNullWhenNothingArrivesInTime() {
        try (ScannerHelper helper = selfFinishing(4)) {
            assertThat(helper.poll(Duration.ofMillis(10))).isNull();
            assertThat(helper.poll(Duration.ZERO)).isNull();
            assertThat(helper.poll(Duration.ofMillis(-5))).isNull();
        }
    }

    @Test
    void pollWakesUpWhenAMessageArrives() throws Exception {
        try (ScannerHelper helper = selfFinishing(4)) {
            Forked<ImmutableMessage> consumer = fork("consumer", () -> helper.poll(Duration.ofDays(1)));
            awaitBlocked(consumer.thread());

            helper.offer(message(7));

            assertThat(consumer.outcome().get(10, TimeUnit.SECONDS).id()).isEqualTo(new TestMessageId("test", 7));
        }
    }

    @Test
    void anEnormousPollTimeoutIsAcceptedAsForever() throws Exception {
        try (ScannerHelper helper = selfFinishing(4)) {
            Forked<ImmutableMessage> consumer = fork("consumer", () -> helper.poll(Duration.ofSeconds(Long.MAX_VALUE)));
            awaitBlocked(consumer.thread());

            helper.offer(message(1));

            assertThat(consumer.outcome().get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void offerWaitsForRoomAndResumesWhenTheConsumerTakes() throws Exception {
        try (ScannerHelper helper = selfFinishing(2)) {
            helper.offer(message(0));
            helper.offer(message(1));
            Forked<Boolean> blocked = fork("producer", () -> helper.offer(message(2)));
            awaitBlocked(blocked.thread());
            assertThat(blocked.outcome()).isNotDone();

            assertThat(helper.take().id()).isEqualTo(new TestMessageId("test", 0));

            assertThat(blocked.outcome().get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(helper.take().id()).isEqualTo(new TestMessageId("test", 1));
            assertThat(helper.take().id()).isEqualTo(new TestMessageId("test", 2));
        }
    }

    @Test
    void closeWakesABlockedTakeWithWALClosedExceptionSayingWhoClosedIt() throws Exception {
        ScannerHelper helper = helper(4);
        helper.onCancel(() -> helper.finish(null));
        Forked<ImmutableMessage> consumer = fork("consumer", helper::take);
        awaitBlocked(consumer.thread());

        helper.close();

        assertThat(consumer.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(WALClosedException.class)
                .withMessageContaining("scanner-1 is closed")
                .havingCause().withMessageContaining("closed by thread " + Thread.currentThread().getName());
        assertThat(helper.done()).succeedsWithin(LONG);
    }

    @Test
    void closeWakesABlockedPollToo() throws Exception {
        ScannerHelper helper = helper(4);
        helper.onCancel(() -> helper.finish(null));
        Forked<ImmutableMessage> consumer = fork("consumer", () -> helper.poll(Duration.ofDays(1)));
        awaitBlocked(consumer.thread());

        helper.close();

        assertThat(consumer.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(WALClosedException.class);
    }

    @Test
    void closeWakesABlockedProducerWhoseOfferReturnsFalse() throws Exception {
        ScannerHelper helper = helper(1);
        helper.offer(message(0));
        Forked<Integer> producer = produce(helper, 10, null);
        awaitBlocked(producer.thread());

        helper.close();

        // The producer had offered nothing more: the buffer held message 0 and it stopped at its first offer.
        assertThat(producer.outcome().get(10, TimeUnit.SECONDS)).isZero();
        assertThat(helper.done()).isCompleted();
        assertThatThrownBy(() -> helper.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
    }

    @Test
    void closeWaitsForTheProducerToFinish() throws Exception {
        ScannerHelper helper = helper(4);
        CountDownLatch cancelSeen = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        helper.onCancel(cancelSeen::countDown);
        Forked<Void> producer = fork("producer", () -> {
            cancelSeen.await();
            mayFinish.await();
            helper.finish(null);
            return null;
        });
        Forked<Void> closer = fork("closer", () -> {
            helper.close();
            return null;
        });
        assertThat(cancelSeen.await(10, TimeUnit.SECONDS)).isTrue();
        awaitBlocked(closer.thread());
        assertThat(closer.outcome()).isNotDone();
        assertThat(helper.done()).isNotDone();

        mayFinish.countDown();

        closer.outcome().get(10, TimeUnit.SECONDS);
        producer.outcome().get(10, TimeUnit.SECONDS);
        assertThat(helper.done()).isCompleted();
    }

    @Test
    void closeGivesUpWaitingAfterItsTimeoutAndCompletesDone() {
        ScannerHelper helper = new ScannerHelper("stuck", 4, Duration.ofMillis(20));

        helper.close();

        assertThat(helper.done()).isCompleted();
        assertThat(helper.isCancelled()).isTrue();
        // A late finish changes nothing.
        assertThat(helper.finish(new IOException("late"))).isTrue();
        assertThat(helper.done()).succeedsWithin(Duration.ZERO);
    }

    @Test
    void closeRacingWithABlockedTakeAlwaysEndsTheTake() throws Exception {
        for (int round = 0; round < 200; round++) {
            ScannerHelper helper = helper(2);
            helper.onCancel(() -> helper.finish(null));
            CountDownLatch start = new CountDownLatch(1);
            Forked<ImmutableMessage> consumer = fork("consumer-" + round, () -> {
                start.await();
                return helper.take();
            });
            Forked<Void> closer = fork("closer-" + round, () -> {
                start.await();
                helper.close();
                return null;
            });

            start.countDown();

            closer.outcome().get(10, TimeUnit.SECONDS);
            assertThat(consumer.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(WALClosedException.class);
            assertThat(helper.done()).isCompleted();
        }
    }

    @Test
    void producerAndConsumerRacingWithCloseNeverHangOrReorder() throws Exception {
        for (int round = 0; round < 50; round++) {
            ScannerHelper helper = helper(2);
            Forked<Integer> producer = produce(helper, 10_000, null);
            List<Long> seen = new ArrayList<>();
            AtomicInteger taken = new AtomicInteger();
            Forked<Void> consumer = fork("consumer-" + round, () -> {
                while (true) {
                    seen.add(((TestMessageId) helper.take().id()).value());
                    taken.incrementAndGet();
                }
            });
            eventually().until(() -> producer.outcome().isDone() || taken.get() > 10);

            helper.close();

            assertThat(consumer.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(WALClosedException.class);
            producer.outcome().get(10, TimeUnit.SECONDS);
            assertThat(helper.done()).isCompleted();
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void afterAFailureBufferedMessagesComeFirstThenTheFailureAsAStorageException() {
        try (ScannerHelper helper = helper(4)) {
            helper.offer(message(0));
            helper.offer(message(1));
            IOException cause = new IOException("disk gone");

            helper.finish(cause);

            assertThat(helper.take().id()).isEqualTo(new TestMessageId("test", 0));
            assertThat(helper.poll(Duration.ZERO).id()).isEqualTo(new TestMessageId("test", 1));
            WALException failure = (WALException) org.assertj.core.api.Assertions.catchThrowable(helper::take);
            assertThat(failure).isInstanceOf(WALStorageException.class).hasCause(cause)
                    .hasMessageContaining("scanner-1").hasMessageContaining("disk gone");
            assertThatThrownBy(() -> helper.poll(Duration.ofMillis(1))).isSameAs(failure);
            assertThat(helper.done()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                    .withCause(failure);
        }
    }

    @Test
    void aWALExceptionFailureIsDeliveredAsItIs() {
        try (ScannerHelper helper = helper(4)) {
            ChannelFencedException fenced = new ChannelFencedException("orders", 2, "fenced by term 3");

            helper.finish(fenced);

            assertThatThrownBy(helper::take).isSameAs(fenced);
            assertThatThrownBy(() -> helper.done().join()).isInstanceOf(CompletionException.class).hasCause(fenced);
        }
    }

    @Test
    void anyOtherFailureBecomesAWALException() {
        try (ScannerHelper helper = helper(4)) {
            IllegalStateException bug = new IllegalStateException("bug in backend");

            helper.finish(bug);

            assertThatThrownBy(helper::take).isExactlyInstanceOf(WALException.class).hasCause(bug);
        }
    }

    @Test
    void aTakeBlockedWhenTheProducerFailsReceivesTheFailure() throws Exception {
        try (ScannerHelper helper = helper(4)) {
            Forked<ImmutableMessage> consumer = fork("consumer", helper::take);
            awaitBlocked(consumer.thread());

            helper.finish(new IOException("read error"));

            assertThat(consumer.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(WALStorageException.class);
        }
    }

    @Test
    void aFailureReportedAfterCloseIsTakenAsPartOfTheClose() {
        ScannerHelper helper = helper(4);
        helper.onCancel(() -> helper.finish(new IOException("interrupted read, because of the close")));

        helper.close();

        assertThat(helper.done()).succeedsWithin(LONG);
    }

    @Test
    void finishCountsOnlyOnce() {
        try (ScannerHelper helper = helper(4)) {
            assertThat(helper.finish(null)).isTrue();
            assertThat(helper.finish(new IOException("second"))).isFalse();

            assertThat(helper.done()).succeedsWithin(Duration.ZERO);
            assertThatThrownBy(helper::take).isInstanceOf(WALClosedException.class);
        }
    }

    @Test
    void offerAfterFinishIsAProgrammingError() {
        try (ScannerHelper helper = helper(4)) {
            helper.finish(null);

            assertThatThrownBy(() -> helper.offer(message(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("scanner-1");
        }
    }

    @Test
    void pollAfterCloseFailsEvenWithBufferedMessages() {
        ScannerHelper helper = helper(4);
        helper.onCancel(() -> helper.finish(null));
        helper.offer(message(0));

        helper.close();

        assertThatThrownBy(() -> helper.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
        assertThatThrownBy(helper::take).isInstanceOf(WALClosedException.class);
        assertThat(helper.offer(message(1))).isFalse();
    }

    @Test
    void cancelHooksRunOnceAndLateOnesRunAtOnce() {
        ScannerHelper helper = helper(4);
        AtomicInteger early = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        helper.onCancel(early::incrementAndGet);
        helper.onCancel(() -> {
            throw new IllegalStateException("a failing hook must not stop the others");
        });
        helper.onCancel(() -> helper.finish(null));
        assertThat(helper.isCancelled()).isFalse();
        assertThat(early).hasValue(0);

        helper.close();
        helper.close();
        helper.onCancel(late::incrementAndGet);

        assertThat(helper.isCancelled()).isTrue();
        assertThat(early).hasValue(1);
        assertThat(late).hasValue(1);
    }

    @Test
    void concurrentClosesAllReturnAndRunTheHooksOnce() throws Exception {
        ScannerHelper helper = helper(4);
        AtomicInteger hooks = new AtomicInteger();
        helper.onCancel(hooks::incrementAndGet);
        helper.onCancel(() -> helper.finish(null));
        CountDownLatch start = new CountDownLatch(1);
        List<Forked<Void>> closers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            closers.add(fork("closer-" + i, () -> {
                start.await();
                helper.close();
                return null;
            }));
        }

        start.countDown();

        for (Forked<Void> closer : closers) {
            closer.outcome().get(10, TimeUnit.SECONDS);
        }
        assertThat(hooks).hasValue(1);
        assertThat(helper.done()).isCompleted();
    }

    @Test
    void anInterruptedTakeFailsWithWALClosedExceptionAndKeepsTheInterrupt() {
        try (ScannerHelper helper = selfFinishing(4)) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(helper::take).isInstanceOf(WALClosedException.class)
                        .hasMessageContaining("interrupted");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void anInterruptedOfferReturnsFalseAndKeepsTheInterrupt() {
        try (ScannerHelper helper = selfFinishing(1)) {
            helper.offer(message(0));
            Thread.currentThread().interrupt();
            try {
                assertThat(helper.offer(message(1))).isFalse();
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new ScannerHelper(null, 1, LONG))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> new ScannerHelper(" ", 1, LONG))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\" \"");
        assertThatThrownBy(() -> new ScannerHelper("s", 0, LONG))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> new ScannerHelper("s", 1, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> new ScannerHelper(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("option");
        try (ScannerHelper helper = selfFinishing(1)) {
            assertThatThrownBy(() -> helper.offer(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("message");
            assertThatThrownBy(() -> helper.poll(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
            assertThatThrownBy(() -> helper.onCancel(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("hook");
        }
    }
}
