package io.wal4j.adaptor.interceptor;

import io.wal4j.api.message.MutableMessage;

import java.util.concurrent.CompletableFuture;

/**
 * The rest of the interceptor chain below the current interceptor, ending with the retrying backend append. Calling
 * it more than once appends more than once (that is how a redo-style interceptor retries with a restamped message).
 * Thread-safe. Never throws: failures complete the future exceptionally.
 */
@FunctionalInterface
public interface AppendNext {

    /**
     * @param ctx     the append's context, normally the one the interceptor was given
     * @param message the message to pass on, normally the one the interceptor was given (possibly stamped)
     * @return the outcome of the inner chain
     */
    CompletableFuture<AppendOutcome> append(AppendContext ctx, MutableMessage message);
}
