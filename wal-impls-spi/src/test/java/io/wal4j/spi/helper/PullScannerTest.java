package io.wal4j.spi.helper;

import static io.wal4j.spi.helper.HelperTestUtils.LONG;
import static io.wal4j.spi.helper.HelperTestUtils.awaitBlocked;
import static io.wal4j.spi.helper.HelperTestUtils.fork;
import static io.wal4j.spi.helper.HelperTestUtils.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.TestMessageId;
import io.wal4j.spi.helper.HelperTestUtils.Forked;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PullScannerTest {

    private final TestLog log = new TestLog();
    private final AtomicInteger closeHooks = new AtomicInteger();
    private final PullScanner scanner = new PullScanner("s", "test scanner s", log.cursor(),
            closeHooks::incrementAndGet);

    @Test
    void aMessageAlreadyStoredIsReturnedByAPollThatDoesNotWait() {
        log.append(message(0));
        log.append(message(1));
        assertThat(scanner.name()).isEqualTo("s");
        assertThat(scanner.poll(Duration.ZERO).id()).isEqualTo(id(0));
        assertThat(scanner.poll(Duration.ofSeconds(-1)).id()).isEqualTo(id(1));
        assertThat(scanner.poll(Duration.ZERO)).isNull();
    }

    @Test
    void takeWaitsForTheNextAppend() throws Exception {
        Forked<ImmutableMessage> taker = fork("take", scanner::take);
        awaitBlocked(taker.thread());
        log.append(message(7));
        assertThat(taker.outcome().get(LONG.toMillis(), TimeUnit.MILLISECONDS).id()).isEqualTo(id(7));
    }

    @Test
    void closeWakesABlockedTakeWithWALClosedExceptionAndCompletesDoneNormally() {
        Forked<ImmutableMessage> taker = fork("take", scanner::take);
        awaitBlocked(taker.thread());
        scanner.close();
        assertThat(taker.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(WALClosedException.class).withMessageContaining("test scanner s is closed");
        assertThat(scanner.done()).isCompleted().isNotCompletedExceptionally();
        assertThatThrownBy(() -> scanner.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
    }

    @Test
    void closeIsIdempotentAndRunsTheCloseHookOnce() {
        scanner.close();
        scanner.close();
        assertThat(closeHooks).hasValue(1);
    }

    @Test
    void failWakesABlockedTakeWithTheCauseAndFailsDone() {
        WALStorageException cause = new WALStorageException("storage died");
        Forked<ImmutableMessage> taker = fork("take", scanner::take);
        awaitBlocked(taker.thread());
        scanner.fail(cause);
        scanner.fail(new WALStorageException("a later failure is ignored"));
        assertThat(taker.outcome()).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                .withCause(cause);
        assertThat(scanner.done()).isCompletedExceptionally();
        assertThatThrownBy(scanner::take).isSameAs(cause);
    }

    @Test
    void aCloseAfterAFailureKeepsDoneFailedAndRefusesCallsAsClosed() {
        WALStorageException cause = new WALStorageException("storage died");
        scanner.fail(cause);
        scanner.close();
        assertThat(scanner.done()).isCompletedExceptionally();
        assertThatThrownBy(scanner::take).isInstanceOf(WALClosedException.class);
    }

    @Test
    void anInterruptedWaitThrowsWALClosedExceptionAndKeepsTheInterrupt() throws Exception {
        Forked<Boolean> taker = fork("take", () -> {
            try {
                scanner.take();
                return false;
            } catch (WALClosedException e) {
                return Thread.currentThread().isInterrupted() && e.getMessage().contains("interrupted");
            }
        });
        awaitBlocked(taker.thread());
        taker.thread().interrupt();
        assertThat(taker.outcome().get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    private static TestMessageId id(long n) {
        return new TestMessageId("test", n);
    }

    @Test
    void aNullTimeoutIsRefused() {
        assertThatThrownBy(() -> scanner.poll(null)).isInstanceOf(NullPointerException.class);
    }
}
