package io.wal4j.api;

import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An open transaction on one vchannel of a {@link WAL}, from {@link WAL#beginTxn}. Its bodies are appended with
 * {@link #appendAsync}; {@link #commitAsync} waits for the bodies still in flight and then makes the whole
 * transaction visible to readers at the commit's time tick (readers get one
 * {@link io.wal4j.api.message.ImmutableTxnMessage}); {@link #rollbackAsync} discards it. A transaction left idle longer
 * than its keepalive (measured in time ticks, refreshed by every acknowledged body) expires: it is never delivered.
 *
 * <p>Thread-safe: bodies may be appended concurrently. Lives until it is committed, rolled back, expired or failed
 * (an exclusive message on its vchannel fails it), or its WAL closes; it holds no resource needing a close.
 */
public interface Txn {

    /** @return the transaction's id and keepalive */
    TxnContext context();

    /** @return the vchannel every message of the transaction belongs to */
    String vchannel();

    /** @return the result of the transaction's begin message */
    AppendResult beginResult();

    /**
     * Appends a body: a copy of {@code body} stamped with this transaction's context and vchannel. Never throws:
     * fails with {@link NullPointerException} for a null body, {@link TransactionExpiredException} when the keepalive
     * lapsed (or the transaction is unknown to the WAL's current writer), {@link InvalidTransactionStateException}
     * after a commit or rollback was requested (or the transaction was failed), {@link IllegalArgumentException} when
     * the body names another vchannel or has an {@linkplain io.wal4j.api.message.MessageType#isExclusive() exclusive}
     * or self-controlled type, {@link WALClosedException} once the WAL is closed, and otherwise as
     * {@link WAL#appendAsync(MutableMessage)}. A refused body leaves the transaction open.
     */
    CompletableFuture<AppendResult> appendAsync(MutableMessage body);

    /**
     * Commits: waits for every body in flight, then appends the commit message carrying {@code properties}. Never
     * throws; fails as {@link #appendAsync} ({@link InvalidTransactionStateException} on a second commit, after a
     * rollback, or once an exclusive message on the vchannel failed the transaction; {@link WALClosedException} once
     * the WAL is closed), with {@link NullPointerException} for null {@code properties} and
     * {@link IllegalArgumentException} for a reserved or empty key among them.
     *
     * @param properties application properties of the commit message (readers see them on the
     *                   {@link io.wal4j.api.message.ImmutableTxnMessage}); not reserved keys
     */
    CompletableFuture<AppendResult> commitAsync(Map<String, String> properties);

    /**
     * Rolls back: waits for every body in flight, then appends the rollback message. Never throws; fails as
     * {@link #commitAsync} ({@link InvalidTransactionStateException} after a commit or a first rollback).
     */
    CompletableFuture<AppendResult> rollbackAsync();

    /**
     * Blocking {@link #appendAsync}; the cause is rethrown unwrapped.
     *
     * @throws NullPointerException             if {@code body} is null
     * @throws TransactionExpiredException        if the keepalive lapsed
     * @throws InvalidTransactionStateException   if the transaction no longer accepts bodies
     * @throws IllegalArgumentException           if the body names another vchannel, or its type is exclusive or
     *                                            self-controlled
     * @throws WALClosedException                 if the WAL closed, or the thread was interrupted (interrupt kept)
     * @throws WALException                       (or a subclass) otherwise as {@link WAL#append(MutableMessage)}
     */
    default AppendResult append(MutableMessage body) {
        return Txns.await(appendAsync(body));
    }

    /**
     * Blocking {@link #commitAsync} without properties.
     *
     * @throws TransactionExpiredException      if the keepalive lapsed
     * @throws InvalidTransactionStateException if already committed, rolled back or failed
     * @throws WALClosedException               if the WAL closed, or the thread was interrupted (interrupt kept)
     */
    default AppendResult commit() {
        return Txns.await(commitAsync(Map.of()));
    }

    /**
     * Blocking {@link #commitAsync}.
     *
     * @throws NullPointerException             if {@code properties} is null
     * @throws IllegalArgumentException         if a key of {@code properties} is reserved or empty
     * @throws TransactionExpiredException      if the keepalive lapsed
     * @throws InvalidTransactionStateException if already committed, rolled back or failed
     * @throws WALClosedException               if the WAL closed, or the thread was interrupted (interrupt kept)
     */
    default AppendResult commit(Map<String, String> properties) {
        return Txns.await(commitAsync(properties));
    }

    /**
     * Blocking {@link #rollbackAsync}.
     *
     * @throws TransactionExpiredException      if the keepalive lapsed
     * @throws InvalidTransactionStateException if already committed, rolled back or failed
     * @throws WALClosedException               if the WAL closed, or the thread was interrupted (interrupt kept)
     */
    default AppendResult rollback() {
        return Txns.await(rollbackAsync());
    }
}
