package io.wal4j.api;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waits for transaction futures on behalf of the blocking defaults of {@link Txn} and {@link WAL}. */
final class Txns {

    private Txns() {
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            WALClosedException closed = new WALClosedException("interrupted while waiting for a transaction step");
            closed.addSuppressed(e);
            throw closed;
        } catch (CancellationException e) {
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new WALException("transaction step failed", cause);
        }
    }
}
