package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FuturesTest {

    @Test
    void whenCompleteOnACompletedFutureRunsTheActionAtOnceAndReturnsTheSameFuture() {
        CompletableFuture<String> done = CompletableFuture.completedFuture("v");
        AtomicReference<String> seen = new AtomicReference<>();

        CompletableFuture<String> returned = Futures.whenComplete(done, (value, failure) -> seen.set(value));

        assertThat(returned).isSameAs(done);
        assertThat(seen.get()).isEqualTo("v");
    }

    @Test
    void whenCompleteOnAFailedFutureHandsTheFailureWrappedAsJoinReportsIt() {
        IllegalStateException cause = new IllegalStateException("boom");
        AtomicReference<Throwable> seen = new AtomicReference<>();

        Futures.whenComplete(CompletableFuture.failedFuture(cause), (value, failure) -> seen.set(failure));

        assertThat(seen.get()).isInstanceOf(CompletionException.class).hasCause(cause);
        assertThat(Futures.unwrap(seen.get())).isSameAs(cause);
    }

    @Test
    void whenCompleteOnAPendingFutureRunsTheActionWhenItCompletes() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        AtomicReference<String> seen = new AtomicReference<>();

        CompletableFuture<String> returned = Futures.whenComplete(pending, (value, failure) -> seen.set(value));

        assertThat(returned).isNotSameAs(pending).isNotDone();
        assertThat(seen.get()).isNull();
        pending.complete("later");
        assertThat(seen.get()).isEqualTo("later");
        assertThat(returned).isCompletedWithValue("later");
    }

    @Test
    void acceptDoneRefusesAPendingFuture() {
        assertThatThrownBy(() -> Futures.acceptDone(new CompletableFuture<>(), (value, failure) -> { }))
                .isInstanceOf(IllegalStateException.class);
    }
}
