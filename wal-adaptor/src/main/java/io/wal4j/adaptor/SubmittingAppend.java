package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;

/**
 * Which append the current thread is submitting, if any: the one append whose backend completion may be finished on
 * the current thread without a hand-off. Inside its own submission nobody else's code can be waiting on that append
 * (its future has not been returned yet), so finishing it there is exactly a synchronous call. Any other completion —
 * a retry on the retry thread, an append granted a lock by another append's release, a commit released by the last
 * body of its transaction — goes through the WAL's completion thread, where callbacks are detected and may close the
 * WAL or append again.
 *
 * <p>Thread-confined state (a thread-local); stateless otherwise.
 */
final class SubmittingAppend {

    private static final ThreadLocal<AppendContext> CURRENT = new ThreadLocal<>();

    private SubmittingAppend() {
    }

    /** Marks {@code ctx} as being submitted by this thread. @return the mark to restore with {@link #exit} */
    static AppendContext enter(AppendContext ctx) {
        AppendContext previous = CURRENT.get();
        CURRENT.set(ctx);
        return previous;
    }

    /** Restores the mark {@link #enter} returned. */
    static void exit(AppendContext previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** @return whether the current thread is inside the submission of {@code ctx} */
    static boolean isSubmitting(AppendContext ctx) {
        return CURRENT.get() == ctx;
    }
}
