package io.wal4j.adaptor.interceptor;

import io.wal4j.api.message.MutableMessage;

import java.util.concurrent.CompletableFuture;

/**
 * Append middleware of one WAL, built by an {@link InterceptorBuilder} when the WAL opens. The first interceptor
 * listed is the outermost: it sees the message first and the outcome last. Implementations are thread-safe: many
 * appends run through {@link #doAppend} concurrently.
 *
 * <p><b>Rules.</b>
 * <ul>
 *   <li>Stamp the message ({@link MutableMessage#withReservedProperty}, {@code withTimeTick}…) before calling
 *       {@code next}; the message is the WAL's private copy, never the caller's.</li>
 *   <li>Report results through the {@link AppendContext} ({@link AppendContext#setTimeTick},
 *       {@link AppendContext#putExtra}…); they end up in the user's {@link io.wal4j.api.AppendResult}.</li>
 *   <li>The part that runs after {@code next}'s future completes must not fail: it observes, it does not veto.</li>
 *   <li>Never block in {@code doAppend}: wait with futures. The adaptor runs completions on the WAL's own threads,
 *       never on a backend's I/O thread.</li>
 *   <li>A synchronous throw from {@code doAppend} is turned into a failed append, as is a null future.</li>
 * </ul>
 *
 * <p><b>Lifetime.</b> Lives as long as its WAL. On close the WAL calls {@link #gracefulClose()} first, while appends
 * are still admitted, then (after in-flight appends finished and the backend is closed) {@link #close()}.
 */
public interface Interceptor {

    /**
     * Handles one append.
     *
     * @param ctx     the append's context: channel, requested durability, cancellation, the result being built
     * @param message the WAL's copy of the message, already stamped with the term
     * @param next    the rest of the chain
     * @return the outcome, usually {@code next}'s (possibly after more work)
     */
    CompletableFuture<AppendOutcome> doAppend(AppendContext ctx, MutableMessage message, AppendNext next);

    /**
     * @return a future completed once the interceptor has recovered its state and may take appends; appends wait
     *     for every interceptor's readiness (or the WAL's close, or their own cancellation). A failed future fails
     *     every append with its cause. Called once, after the chain is built. Default: ready at once.
     */
    default CompletableFuture<Void> ready() {
        return CompletableFuture.completedFuture(null);
    }

    /** @return the name under which the WAL's metrics report this interceptor's own time; default: the simple class name */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Called at the start of the WAL's close, while appends are still admitted: finish or abort long waits (open
     * transactions, say) so the close can proceed. Must not throw. Default: nothing.
     */
    default void gracefulClose() {
    }

    /** Releases the interceptor's resources once no append runs any more. Idempotent; must not throw. */
    default void close() {
    }
}
