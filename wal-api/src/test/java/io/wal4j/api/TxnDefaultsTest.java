package io.wal4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The blocking defaults of {@link Txn}: they wait and rethrow the cause unwrapped. */
class TxnDefaultsTest {

    /** A transaction whose every step fails with the given cause. */
    private static Txn failingWith(Throwable cause) {
        return new Txn() {
            @Override
            public TxnContext context() {
                return new TxnContext(1, Duration.ofSeconds(1));
            }

            @Override
            public String vchannel() {
                return "v";
            }

            @Override
            public AppendResult beginResult() {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<AppendResult> appendAsync(MutableMessage body) {
                return CompletableFuture.failedFuture(cause);
            }

            @Override
            public CompletableFuture<AppendResult> commitAsync(Map<String, String> properties) {
                return CompletableFuture.supplyAsync(() -> {
                    throw new java.util.concurrent.CompletionException(cause);
                });
            }

            @Override
            public CompletableFuture<AppendResult> rollbackAsync() {
                return CompletableFuture.failedFuture(cause);
            }
        };
    }

    @Test
    void theBlockingStepsRethrowTheTransactionExceptionsUnwrapped() {
        Txn expired = failingWith(new TransactionExpiredException(1, "idle"));
        assertThatThrownBy(() -> expired.append(MutableMessage.newBuilder().build()))
                .isInstanceOf(TransactionExpiredException.class).hasMessageContaining("idle");
        assertThatThrownBy(expired::commit).isInstanceOf(TransactionExpiredException.class);
        Txn invalid = failingWith(new InvalidTransactionStateException(1, "COMMITTED"));
        assertThatThrownBy(invalid::rollback).isInstanceOf(InvalidTransactionStateException.class);
        assertThatThrownBy(() -> invalid.commit(Map.of("k", "v"))).isInstanceOf(InvalidTransactionStateException.class);
    }

    @Test
    void aCheckedCauseIsWrappedInAWALExceptionAndAnInterruptKeepsTheFlag() {
        Txn checked = failingWith(new java.io.IOException("disk"));
        assertThatThrownBy(checked::rollback).isInstanceOf(WALException.class).hasCauseInstanceOf(java.io.IOException.class);
        Txn never = new Txn() {
            @Override
            public TxnContext context() {
                return new TxnContext(1, Duration.ofSeconds(1));
            }

            @Override
            public String vchannel() {
                return "v";
            }

            @Override
            public AppendResult beginResult() {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<AppendResult> appendAsync(MutableMessage body) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletableFuture<AppendResult> commitAsync(Map<String, String> properties) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletableFuture<AppendResult> rollbackAsync() {
                return new CompletableFuture<>();
            }
        };
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(never::commit).isInstanceOf(WALClosedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
