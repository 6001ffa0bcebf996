package io.wal4j.testkit;

import static io.wal4j.testkit.KitAssertions.TIMEOUT;
import static io.wal4j.testkit.KitAssertions.append;
import static io.wal4j.testkit.KitAssertions.assertSameMessages;
import static io.wal4j.testkit.KitAssertions.await;
import static io.wal4j.testkit.KitAssertions.failureOf;
import static io.wal4j.testkit.KitAssertions.ids;
import static io.wal4j.testkit.KitAssertions.openScanner;
import static io.wal4j.testkit.KitAssertions.option;
import static io.wal4j.testkit.KitAssertions.readExactly;
import static io.wal4j.testkit.KitAssertions.readUntil;
import static io.wal4j.testkit.KitAssertions.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks of lifetimes: close is idempotent, releases blocked readers within a second, and everything after it fails
 * with {@link WALClosedException}; a close racing with appends loses nothing acknowledged; no thread outlives the
 * opener.
 */
final class CloseChecks {

    private final KitContext kit;

    CloseChecks(KitContext kit) {
        this.kit = kit;
    }

    void closeIsIdempotentForOpenerWALReadOnlyWALAndScanner() {
        String channel = kit.newChannel();
        WALImpls wal = kit.openWriter(channel, 1);
        kit.appendPlain(wal, 1);
        ScannerImpls scanner = wal.read(option("idempotent", DeliverPolicy.all()));
        assertDoesNotThrow(scanner::close);
        assertDoesNotThrow(scanner::close);
        assertThat(scanner.done()).as("done() after close").succeedsWithin(TIMEOUT);
        assertDoesNotThrow(wal::close);
        assertDoesNotThrow(wal::close);
        if (kit.capabilities().readOnly()) {
            ReadOnlyWALImpls ro = kit.opener().openReadOnly(OpenOption.readOnly(channel, 1));
            assertDoesNotThrow(ro::close);
            assertDoesNotThrow(ro::close);
        }
        assertDoesNotThrow(kit.opener()::close);
        assertDoesNotThrow(kit.opener()::close);
    }

    void closingAScannerReleasesAThreadBlockedInTake() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            ScannerImpls scanner = wal.read(option("blocked-take", DeliverPolicy.all()));
            BlockedCall<ImmutableMessage> take = BlockedCall.start("take", scanner::take).awaitBlocked();
            scanner.close();
            assertThat(take.failureWithinRelease("take() released by closing its scanner"))
                    .isInstanceOf(WALClosedException.class);
            assertThat(scanner.done()).as("done() after close").succeedsWithin(TIMEOUT);
        }
    }

    void closingAScannerReleasesAThreadBlockedInPoll() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            ScannerImpls scanner = wal.read(option("blocked-poll", DeliverPolicy.all()));
            BlockedCall<ImmutableMessage> poll = BlockedCall.start("poll",
                    () -> scanner.poll(TIMEOUT.multipliedBy(4))).awaitBlocked();
            scanner.close();
            assertThat(poll.failureWithinRelease("poll() released by closing its scanner"))
                    .isInstanceOf(WALClosedException.class);
        }
    }

    void closingTheWALReleasesAThreadBlockedInTakeOnItsScanner() {
        WALImpls wal = kit.openWriter(kit.newChannel(), 1);
        try {
            ScannerImpls scanner = wal.read(option("blocked-by-wal", DeliverPolicy.all()));
            BlockedCall<ImmutableMessage> take = BlockedCall.start("take", scanner::take).awaitBlocked();
            wal.close();
            assertThat(take.failureWithinRelease("take() released by closing the WAL"))
                    .isInstanceOf(WALClosedException.class);
            assertThat(scanner.done()).as("done() of a scanner closed with its WAL").succeedsWithin(TIMEOUT);
        } finally {
            wal.close();
        }
    }

    void interruptingAThreadBlockedInTakeFailsWithWALClosedExceptionAndKeepsTheInterrupt() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1);
             ScannerImpls scanner = wal.read(option("interrupted", DeliverPolicy.all()))) {
            BlockedCall<ImmutableMessage> take = BlockedCall.start("take", scanner::take).awaitBlocked();
            take.interrupt();
            assertThat(take.failureWithinRelease("take() of an interrupted thread"))
                    .isInstanceOf(WALClosedException.class);
            assertThat(take.interruptedAfterwards()).as("the interrupt flag after take() gave up").isTrue();
        }
    }

    void closingTheWALClosesItsScanners() {
        WALImpls wal = kit.openWriter(kit.newChannel(), 1);
        // Messages are waiting, so a scanner left open would deliver one instead of throwing.
        kit.appendPlain(wal, 2);
        ScannerImpls scanner = wal.read(option("closed-with-wal", DeliverPolicy.all()));
        wal.close();
        assertThatThrownBy(() -> scanner.poll(TIMEOUT)).as("poll() on a scanner of a closed WAL")
                .isInstanceOf(WALClosedException.class);
        assertThatThrownBy(scanner::take).as("take() on a scanner of a closed WAL")
                .isInstanceOf(WALClosedException.class);
        assertThat(scanner.done()).as("done() of a scanner closed with its WAL").succeedsWithin(TIMEOUT);
    }

    void everyCallOnAClosedScannerFailsWithWALClosedException() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            // Messages are waiting, possibly prefetched: a closed scanner must still refuse to hand them out.
            kit.appendPlain(wal, 2);
            ScannerImpls scanner = wal.read(option("closed", DeliverPolicy.all()));
            scanner.close();
            assertThatThrownBy(() -> scanner.poll(TIMEOUT)).as("poll() after close")
                    .isInstanceOf(WALClosedException.class);
            assertThatThrownBy(scanner::take).as("take() after close").isInstanceOf(WALClosedException.class);
            assertThat(scanner.done()).as("done() after close").succeedsWithin(TIMEOUT);
        }
    }

    void everyCallOnAClosedWALFailsWithWALClosedException() {
        WALImpls wal = kit.openWriter(kit.newChannel(), 1);
        MessageId id = kit.appendPlain(wal, 1).get(0).id();
        wal.close();
        assertThat(failureOf(append(wal, TestMessages.plain("late"), kit.durability()), "append after close"))
                .isInstanceOf(WALClosedException.class);
        assertThat(failureOf(truncate(wal, id), "truncate after close")).isInstanceOf(WALClosedException.class);
        assertThatThrownBy(() -> wal.read(option("late", DeliverPolicy.all()))).as("read after close")
                .isInstanceOf(WALClosedException.class);
    }

    void everyCallOnAClosedReadOnlyWALFailsWithWALClosedException() {
        Assumptions.assumeTrue(kit.capabilities().readOnly(),
                "capabilities().readOnly() is false: read-only WAL checks skipped");
        String channel = kit.newChannel();
        try (WALImpls wal = kit.openWriter(channel, 1)) {
            kit.appendPlain(wal, 1);
        }
        ReadOnlyWALImpls ro = kit.opener().openReadOnly(OpenOption.readOnly(channel, 1));
        ro.close();
        assertThatThrownBy(() -> ro.read(option("late", DeliverPolicy.all()))).as("read after close")
                .isInstanceOf(WALClosedException.class);
    }

    void openingOnAClosedOpenerFailsWithWALClosedException() {
        OpenerImpls closed = kit.opener();
        closed.close();
        String channel = kit.newChannel();
        assertThatThrownBy(() -> closed.open(OpenOption.readWrite(channel, 1)).close())
                .as("open on a closed opener").isInstanceOf(WALClosedException.class);
        if (kit.capabilities().readOnly()) {
            assertThatThrownBy(() -> closed.openReadOnly(OpenOption.readOnly(channel, 1)).close())
                    .as("openReadOnly on a closed opener").isInstanceOf(WALClosedException.class);
        }
    }

    /**
     * Four threads append without pause (eight in flight each) while the WAL is closed. Every append must complete,
     * acknowledged or refused with {@link WALClosedException}, and every acknowledged one must be readable after a
     * reopen.
     */
    void closeRacingWithConcurrentAppendsCompletesEveryAppendAndKeepsEveryAcknowledgedOne()
            throws InterruptedException {
        String channel = kit.newChannel();
        ConcurrentLinkedQueue<CompletableFuture<MessageId>> appends = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch someAcknowledged = new CountDownLatch(20);
        WALImpls wal = kit.openWriter(channel, 1);
        List<Future<?>> writers = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                String prefix = t + "/";
                writers.add(kit.pool().submit(() -> {
                    appendUntilStopped(wal, prefix, stop, appends, someAcknowledged);
                    return null;
                }));
            }
            assertThat(someAcknowledged.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("20 appends acknowledged before the close").isTrue();
            await(CompletableFuture.runAsync(wal::close, kit.pool()), "close() racing with appends");
        } finally {
            stop.set(true);
            writers.forEach(w -> await(w, "writer racing with close"));
            wal.close();
        }
        List<MessageId> acknowledged = acknowledgedOrClosed(appends);
        acknowledged.sort(null);
        try (WALImpls reopened = kit.openWriter(channel, 2);
             ScannerImpls scanner = openScanner(reopened, "after-racing-close", DeliverPolicy.all())) {
            MessageId last = acknowledged.get(acknowledged.size() - 1);
            List<ImmutableMessage> read = readUntil(scanner, m -> m.id().equals(last), appends.size(),
                    "all() after a close that raced with appends");
            assertThat(ids(read)).as("every acknowledged append is readable after reopen").containsAll(acknowledged);
        }
    }

    private void appendUntilStopped(WALImpls wal, String prefix, AtomicBoolean stop,
                                    ConcurrentLinkedQueue<CompletableFuture<MessageId>> appends,
                                    CountDownLatch acknowledged) throws InterruptedException {
        Semaphore inFlight = new Semaphore(8);
        for (int i = 0; !stop.get(); i++) {
            assertThat(inFlight.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("an append in flight completed within %s", TIMEOUT).isTrue();
            CompletableFuture<MessageId> id = append(wal, TestMessages.plain(prefix + i), kit.durability());
            appends.add(id);
            id.whenComplete((ignored, failure) -> {
                inFlight.release();
                if (failure == null) {
                    acknowledged.countDown();
                }
            });
        }
    }

    /** @return the ids of the acknowledged appends; fails if one did not complete or failed otherwise than closed */
    private static List<MessageId> acknowledgedOrClosed(Iterable<CompletableFuture<MessageId>> appends)
            throws InterruptedException {
        List<MessageId> acknowledged = new ArrayList<>();
        for (CompletableFuture<MessageId> append : appends) {
            try {
                acknowledged.add(append.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as("an append refused because of the close")
                        .isInstanceOf(WALClosedException.class);
            } catch (TimeoutException e) {
                throw new AssertionError("an append racing with close did not complete within " + TIMEOUT, e);
            }
        }
        return acknowledged;
    }

    void closingTheOpenerLeavesNoBackendThreadBehind() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1);
             ScannerImpls scanner = openScanner(wal, "threads", DeliverPolicy.all())) {
            List<ImmutableMessage> written = kit.appendPlain(wal, 3);
            assertSameMessages(readExactly(scanner, 3, "threads"), written, "messages read");
        }
        kit.opener().close();
        await("backend threads to end after the opener closed").atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(KitThreads.backendThreadsStartedSince(kit.threadsBeforeBuild()))
                        .as("threads started since the opener was built, still alive after it closed").isEmpty());
    }
}
