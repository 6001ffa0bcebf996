package io.wal4j.adaptor;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Small helpers around {@link CompletableFuture}: unwrapping, safe calls, completing synchronously without a stage,
 * read-only views. Stateless.
 */
final class Futures {

    private Futures() {
    }

    /** @return the failure inside the {@link CompletionException}/{@link ExecutionException} wrappers */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Calls code that returns a future, turning a synchronous throw or a null future into a failed future, so that
     * callers of async methods never see an exception. A {@link VirtualMachineError} is rethrown.
     */
    static <T> CompletableFuture<T> callSafely(Supplier<CompletableFuture<T>> call, String what) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
        return future != null ? future
                : CompletableFuture.failedFuture(new NullPointerException(what + " returned a null future"));
    }

    /**
     * Runs {@code action} with the value or the failure of a future that is already complete, on this thread.
     *
     * @throws IllegalStateException if {@code done} is not complete
     */
    static <T> void acceptDone(CompletableFuture<T> done, BiConsumer<? super T, ? super Throwable> action) {
        if (!done.isDone()) {
            throw new IllegalStateException("the future is not complete");
        }
        T value;
        try {
            value = done.join();
        } catch (CompletionException | CancellationException e) {
            action.accept(null, e);
            return;
        }
        action.accept(value, null);
    }

    /**
     * {@code future.whenComplete(action)}, except that a future already complete runs {@code action} at once and is
     * returned as it is: a synchronous backend then allocates no completion stage per append and per interceptor.
     * Unlike {@code whenComplete}, an exception thrown by {@code action} on that path propagates to the caller.
     */
    static <T> CompletableFuture<T> whenComplete(CompletableFuture<T> future,
                                                 BiConsumer<? super T, ? super Throwable> action) {
        if (future.isDone()) {
            acceptDone(future, action);
            return future;
        }
        return future.whenComplete(action);
    }

    /**
     * @return a new future completed like {@code source}, with the failure unwrapped; completing or cancelling it does
     *     not affect {@code source} (what a public method hands out instead of an internal signal)
     */
    static <T> CompletableFuture<T> view(CompletableFuture<T> source) {
        CompletableFuture<T> view = new CompletableFuture<>();
        source.whenComplete((value, failure) -> {
            if (failure == null) {
                view.complete(value);
            } else {
                view.completeExceptionally(unwrap(failure));
            }
        });
        return view;
    }

    /**
     * Waits for {@code future} without giving up on interruption, then restores the interrupt status; for close paths
     * that must not return half done.
     */
    static void joinUninterruptibly(CompletableFuture<?> future) {
        boolean interrupted = false;
        while (true) {
            try {
                future.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
