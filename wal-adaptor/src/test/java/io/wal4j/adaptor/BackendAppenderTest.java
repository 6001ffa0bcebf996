package io.wal4j.adaptor;

import io.wal4j.api.AppendResult;
import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.wal4j.adaptor.AdaptorTestUtils.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BackendAppenderTest {

    private final FakeBackend backend = new FakeBackend();
    private Opener opener;

    private WAL open(WALConfig config) {
        opener = WALRegistry.builder(backend).build(config);
        return opener.open(OpenOption.readWrite("retries", 1));
    }

    /** A configuration whose first retry waits a minute: the append is certainly parked in its backoff. */
    private static WALConfig slowRetries() {
        return WALConfig.of(Map.of(AdaptorConfig.APPEND_RETRY_INITIAL.name(), "1m",
                AdaptorConfig.APPEND_RETRY_MAX.name(), "1m", AdaptorConfig.TIMETICK_ENABLED.name(), "false"));
    }

    @AfterEach
    void close() {
        if (opener != null) {
            opener.close();
        }
    }

    private void failAlways(RuntimeException cause) {
        backend.hook = (w, m) -> CompletableFuture.failedFuture(cause);
    }

    @Test
    void aTransientFailureIsRetriedUntilItSucceeds() {
        WAL wal = open(AdaptorTestUtils.fastRetries());
        AtomicInteger calls = new AtomicInteger();
        backend.hook = (w, m) -> calls.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(new WALStorageException("disk hiccup"))
                : CompletableFuture.completedFuture(w.store(m));

        AppendResult result = wal.append(message("eventually"));

        assertThat(result.messageId()).isEqualTo(new FakeBackend.FakeId(0));
        assertThat(backend.stored("retries")).hasSize(1);
        assertThat(calls).hasValue(3);
        assertThat(wal.metrics().appendRetries()).isEqualTo(2);
        assertThat(wal.metrics().appendFailures()).isZero();
    }

    @Test
    void aBackendThatThrowsInsteadOfFailingTheFutureIsRetriedToo() {
        WAL wal = open(AdaptorTestUtils.fastRetries());
        AtomicInteger calls = new AtomicInteger();
        backend.hook = (w, m) -> {
            if (calls.incrementAndGet() == 1) {
                throw new WALStorageException("thrown, not returned");
            }
            return CompletableFuture.completedFuture(w.store(m));
        };

        assertThat(wal.append(message("x")).messageId()).isEqualTo(new FakeBackend.FakeId(0));
        assertThat(calls).hasValue(2);
    }

    @Test
    void aFenceIsNotRetriedAndMakesTheWALPermanentlyUnavailable() {
        WAL wal = open(AdaptorTestUtils.fastRetries());
        CompletableFuture<Void> available = wal.available();
        ChannelFencedException fence = new ChannelFencedException("retries", 1, "term 2 took over");
        failAlways(fence);

        assertThatThrownBy(() -> wal.append(message("x"))).isSameAs(fence);

        assertThat(backend.wals.get(0).attempts).hasValue(1);
        assertThat(wal.isAvailable()).isFalse();
        assertThat(available).failsWithin(Duration.ZERO).withThrowableThat().havingCause().isSameAs(fence);
        assertThatThrownBy(() -> wal.append(message("y"))).isInstanceOf(ChannelFencedException.class)
                .hasCause(fence);
        assertThat(backend.wals.get(0).attempts).hasValue(1);
    }

    @Test
    void aFenceWakesAppendsWaitingToRetry() {
        WAL wal = open(slowRetries());
        failAlways(new WALStorageException("down"));
        CompletableFuture<AppendResult> parked = wal.appendAsync(message("parked"));
        await().until(() -> wal.metrics().appendRetries() == 1);
        ChannelFencedException fence = new ChannelFencedException("retries", 1, "taken over");
        failAlways(fence);

        assertThatThrownBy(() -> wal.append(message("fenced"))).isSameAs(fence);

        assertThat(parked).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(ChannelFencedException.class);
    }

    static Stream<RuntimeException> permanentFailures() {
        return Stream.of(new IllegalArgumentException("bad durability"), new MessageTooLargeException(10, 5),
                new WALClosedException("backend closed"), new UnsupportedOperationException("read-only"));
    }

    @ParameterizedTest
    @MethodSource("permanentFailures")
    void aPermanentFailureIsNotRetried(RuntimeException failure) {
        WAL wal = open(AdaptorTestUtils.fastRetries());
        failAlways(failure);

        assertThatThrownBy(() -> wal.append(message("x"))).isSameAs(failure);

        assertThat(backend.wals.get(0).attempts).hasValue(1);
        assertThat(wal.metrics().appendRetries()).isZero();
        assertThat(wal.isAvailable()).isTrue();
    }

    @Test
    void retryingStopsWhenTheWALCloses() {
        WAL wal = open(slowRetries());
        failAlways(new WALStorageException("down"));
        CompletableFuture<AppendResult> future = wal.appendAsync(message("x"));
        await().until(() -> wal.metrics().appendRetries() == 1);

        wal.close();

        assertThat(future).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(WALClosedException.class, e -> {
                    assertThat(e.getCause()).hasMessageContaining("closed by thread");
                    assertThat(e.getSuppressed()).hasSize(1);
                    assertThat(e.getSuppressed()[0]).hasMessage("down");
                });
        assertThat(backend.wals.get(0).attempts).hasValue(1);
    }

    @Test
    void retryingStopsAtTheDeadline() {
        WAL wal = open(slowRetries());
        failAlways(new WALStorageException("down"));

        CompletableFuture<AppendResult> future = wal.appendAsync(message("x"), Duration.ofMillis(50));

        assertThat(future).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class);
        // The append's own pipeline ends too (counted as a failure) instead of waiting out the one-minute backoff.
        await().until(() -> wal.metrics().appendFailures() == 1);
        assertThat(backend.wals.get(0).attempts).hasValue(1);
    }

    @Test
    void retryingStopsWhenTheCallerCancels() {
        WAL wal = open(slowRetries());
        failAlways(new WALStorageException("down"));
        CompletableFuture<AppendResult> future = wal.appendAsync(message("x"));
        await().until(() -> wal.metrics().appendRetries() == 1);

        future.cancel(true);

        await().until(() -> wal.metrics().appendFailures() == 1);
        assertThat(future).isCancelled();
        assertThat(backend.wals.get(0).attempts).hasValue(1);
    }

    @Test
    void retriesFollowTheBackoffUntilTheyStop() {
        WAL wal = open(AdaptorTestUtils.fastRetries());
        failAlways(new WALStorageException("down"));

        CompletableFuture<AppendResult> future = wal.appendAsync(message("x"));
        await().until(() -> wal.metrics().appendRetries() >= 5);
        wal.close();

        assertThat(future).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(WALClosedException.class);
        // Closed either during a backoff (the last retry never ran) or during an attempt.
        long retries = wal.metrics().appendRetries();
        assertThat((long) backend.wals.get(0).attempts.get()).isBetween(retries, retries + 1);
    }

    @Test
    void retryabilityFollowsTheDocumentedList() {
        assertThat(BackendAppender.isRetryable(new WALStorageException("io"))).isTrue();
        assertThat(BackendAppender.isRetryable(new WALStorageException("poisoned", null, true))).isFalse();
        assertThat(BackendAppender.isRetryable(new io.wal4j.api.WALCorruptionException("f", 8, "bad crc")))
                .isFalse();
        assertThat(BackendAppender.isRetryable(new java.io.UncheckedIOException(new java.io.IOException("x"))))
                .isTrue();
        assertThat(BackendAppender.isRetryable(new ChannelFencedException("c", 1, "f"))).isFalse();
        assertThat(BackendAppender.isRetryable(new MessageTooLargeException(2, 1))).isFalse();
        assertThat(BackendAppender.isRetryable(new IllegalArgumentException())).isFalse();
        assertThat(BackendAppender.isRetryable(new WALClosedException("closed"))).isFalse();
        assertThat(BackendAppender.isRetryable(new CancellationException())).isFalse();
        assertThat(BackendAppender.isRetryable(new AssertionError())).isFalse();
    }
}
