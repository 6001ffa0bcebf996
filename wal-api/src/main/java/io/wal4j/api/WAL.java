package io.wal4j.api;

import io.wal4j.api.message.MutableMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One channel opened by its writer. Thread-safe: any number of threads may append concurrently; an append made after
 * another was acknowledged gets a larger id and a larger time tick.
 *
 * <p>Appends never lose, duplicate or reorder an acknowledged message. The WAL copies each message before stamping
 * it, so callers may reuse their {@link MutableMessage}.
 */
public interface WAL extends ReadOnlyWAL {

    /**
     * Appends a message asynchronously. Never throws: every failure completes the future exceptionally, with
     * {@link NullPointerException} for a null message, {@link WALClosedException} after close,
     * {@link ChannelFencedException} when fenced, {@link MessageTooLargeException},
     * {@link IllegalArgumentException} for a message the WAL refuses (a self-controlled type), or
     * {@link WALStorageException}. A message stamped with a transaction context (a body of a {@link Txn}, see
     * {@link Txn#appendAsync}) also fails as a body does: {@link TransactionExpiredException} when the transaction
     * expired or is unknown to this writer (ended, or begun by an earlier writer of the channel),
     * {@link InvalidTransactionStateException} when it no longer accepts bodies, {@link IllegalArgumentException}
     * when the message is on another vchannel or of an exclusive type.
     *
     * <p>The future completes once the durability is reached: on a WAL thread when the backend finishes later, or
     * before this method returns when the backend stores synchronously (the in-memory backend), so that callbacks
     * then run on the calling thread. A callback that appends again should be attached with an {@code ...Async}
     * method when it may run that way: chaining appends on already-completed futures recurses on the caller's stack.
     *
     * @param message the message; not modified
     * @return the future of the result
     */
    CompletableFuture<AppendResult> appendAsync(MutableMessage message);

    /**
     * Like {@link #appendAsync(MutableMessage)}, failing with {@link java.util.concurrent.TimeoutException} if not
     * acknowledged within {@code timeout} (the message may still be appended: the outcome is then unknown).
     */
    CompletableFuture<AppendResult> appendAsync(MutableMessage message, Duration timeout);

    /**
     * Appends a message and waits for its acknowledgement.
     *
     * @return the result
     * @throws NullPointerException     if {@code message} is null
     * @throws WALException             (or a subclass) as for {@link #appendAsync(MutableMessage)}, unwrapped
     * @throws IllegalArgumentException if the WAL refuses the message
     * @throws WALClosedException       if the calling thread is interrupted while waiting (the interrupt is kept)
     */
    AppendResult append(MutableMessage message);

    /**
     * Begins a transaction on {@code vchannel}: appends its begin message and returns the open transaction.
     * The default implementation refuses: only a full WAL (the adaptor) supports transactions.
     *
     * <p>Unlike the appends, the argument checks and the mode check throw at once, before any future exists.
     *
     * @param vchannel  the vchannel of every message of the transaction; not empty
     * @param keepalive how long the transaction may stay idle (in time ticks) before it expires; at least 1 ms
     * @return completed with the open transaction, or exceptionally with {@link TransactionExpiredException} when the
     *     WAL is closing (it admits no new transaction), or as {@link #appendAsync(MutableMessage)}
     *     ({@link WALClosedException} once the WAL is closed)
     * @throws NullPointerException          if an argument is null
     * @throws IllegalArgumentException      if {@code vchannel} is empty or {@code keepalive} below 1 ms
     * @throws UnsupportedOperationException if the WAL does not support transactions (a full WAL in plain mode,
     *                                       {@code wal.adaptor.timetick.enabled=false})
     */
    default CompletableFuture<Txn> beginTxnAsync(String vchannel, Duration keepalive) {
        throw new UnsupportedOperationException("transactions are not supported by " + getClass().getName());
    }

    /**
     * Blocking {@link #beginTxnAsync}; the cause is rethrown unwrapped.
     *
     * @throws NullPointerException          if an argument is null
     * @throws IllegalArgumentException      if {@code vchannel} is empty or {@code keepalive} below 1 ms
     * @throws UnsupportedOperationException if the WAL does not support transactions (a full WAL in plain mode,
     *                                       {@code wal.adaptor.timetick.enabled=false})
     * @throws TransactionExpiredException   if the WAL is closing
     * @throws WALClosedException            if the WAL is closed or the thread interrupted (interrupt kept)
     */
    default Txn beginTxn(String vchannel, Duration keepalive) {
        return Txns.await(beginTxnAsync(vchannel, keepalive));
    }

    /**
     * The latest time tick at which every acknowledged message of {@code vchannel} is visible (read-your-writes):
     * a reader that waits for a time tick {@code >=} it has seen every message acknowledged before the call.
     * When the answer is not yet confirmed by a published time tick, a time-tick sync is triggered so that one soon is.
     * The default implementation refuses.
     *
     * @param vchannel the vchannel; the empty string asks for the whole channel
     * @return the time tick
     * @throws NullPointerException          if {@code vchannel} is null
     * @throws WALClosedException            if the WAL is closed
     * @throws UnsupportedOperationException if the WAL assigns no time ticks
     */
    default long latestMvccTimestamp(String vchannel) {
        throw new UnsupportedOperationException("MVCC timestamps are not supported by " + getClass().getName());
    }
}
