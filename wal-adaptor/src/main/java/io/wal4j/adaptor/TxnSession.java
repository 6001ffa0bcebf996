package io.wal4j.adaptor;

import io.wal4j.adaptor.timetick.AckManager;
import io.wal4j.adaptor.timetick.Acker;
import io.wal4j.adaptor.timetick.HybridLogicalClock;
import io.wal4j.api.InvalidTransactionStateException;
import io.wal4j.api.TransactionExpiredException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.TxnContext;

import java.util.concurrent.CompletableFuture;

/**
 * The writer's state of one open transaction (Milvus reference §3.8): its vchannel, its lease (the time tick of the
 * begin or of the last acknowledged body, plus the keepalive, in physical milliseconds of the tick) and the bodies in
 * flight.
 *
 * <p>States: {@code IN_FLIGHT} (accepts bodies) → {@code ON_COMMIT} / {@code ON_ROLLBACK} (requested, waiting for the
 * bodies in flight, then appending) → {@code COMMITTED} / {@code ROLLED_BACK}; any open state → {@code FAILED} (an
 * exclusive message on its vchannel, a failed commit or rollback); {@code IN_FLIGHT} with nothing in flight →
 * {@code EXPIRED} once a time tick reaches the lease. Expired is sticky. Every operation allocates the message's time
 * tick and checks the state in one step under the session's lock, so a body accepted before a commit always has a
 * smaller tick than the commit.
 *
 * <p>Thread-safe. Lives from the acknowledged begin until it ends; {@link #ended()} completes then.
 */
final class TxnSession {

    enum State { IN_FLIGHT, ON_COMMIT, ON_ROLLBACK, COMMITTED, ROLLED_BACK, EXPIRED, FAILED }

    private final String vchannel;
    private final TxnContext context;
    private final MessageId beginId;
    private final long keepaliveMillis;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<State> ended = new CompletableFuture<>();
    private State state = State.IN_FLIGHT;
    private long lastTimeTick;
    private int inFlight;

    TxnSession(String vchannel, TxnContext context, long beginTimeTick, MessageId beginId) {
        this.vchannel = vchannel;
        this.context = context;
        this.beginId = beginId;
        this.keepaliveMillis = context.keepalive().toMillis();
        this.lastTimeTick = beginTimeTick;
    }

    String vchannel() {
        return vchannel;
    }

    TxnContext context() {
        return context;
    }

    long txnId() {
        return context.txnId();
    }

    MessageId beginId() {
        return beginId;
    }

    synchronized State state() {
        return state;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** @return completed with the final state once the transaction ended */
    CompletableFuture<State> ended() {
        return ended;
    }

    /**
     * Allocates the tick of a body and admits it.
     *
     * @throws TransactionExpiredException      if the tick is at or beyond the lease (the session stays expired)
     * @throws InvalidTransactionStateException if the session no longer accepts bodies
     */
    synchronized Acker beginBody(AckManager acks) {
        Acker acker = acks.allocate();
        try {
            check(acker.timeTick(), "append a body");
        } catch (RuntimeException e) {
            acks.fail(acker);
            throw e;
        }
        inFlight++;
        return acker;
    }

    /** A body was acknowledged at {@code timeTick}: it refreshes the lease. */
    synchronized void bodyDone(long timeTick) {
        lastTimeTick = Math.max(lastTimeTick, timeTick);
        bodyEnded();
    }

    /** A body failed: it no longer holds a commit back. */
    synchronized void bodyFailed() {
        bodyEnded();
    }

    private void bodyEnded() {
        inFlight--;
        if (inFlight == 0 && state != State.IN_FLIGHT) {
            drained.complete(null);
        }
    }

    /**
     * Allocates the tick of a commit ({@code commit} true) or rollback and moves to {@code ON_COMMIT} /
     * {@code ON_ROLLBACK}. The caller appends the message once {@link #drained()} completes.
     *
     * @throws TransactionExpiredException      if the tick is at or beyond the lease
     * @throws InvalidTransactionStateException if a commit or rollback was already requested, or the session failed
     */
    synchronized Acker requestEnd(AckManager acks, boolean commit) {
        Acker acker = acks.allocate();
        try {
            check(acker.timeTick(), commit ? "commit" : "roll back");
        } catch (RuntimeException e) {
            acks.fail(acker);
            throw e;
        }
        state = commit ? State.ON_COMMIT : State.ON_ROLLBACK;
        if (inFlight == 0) {
            drained.complete(null);
        }
        return acker;
    }

    /** @return completed once a commit or rollback was requested and no body is in flight */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** The commit or rollback was acknowledged. */
    synchronized void endDone() {
        finish(state == State.ON_COMMIT ? State.COMMITTED : State.ROLLED_BACK);
    }

    /**
     * Fails an open session (an exclusive message on its vchannel; a failed commit or rollback).
     *
     * @return whether it was open
     */
    synchronized boolean fail() {
        if (isEnded()) {
            return false;
        }
        finish(State.FAILED);
        return true;
    }

    /**
     * Expires the session if {@code timeTick} reached its lease and nothing is in flight.
     *
     * @return whether the session can be forgotten: it is ended and {@code timeTick} reached its lease (an ended
     *     session is remembered that long so that late calls learn its final state)
     */
    synchronized boolean expireOrDoneAt(long timeTick) {
        if (state == State.IN_FLIGHT && inFlight == 0 && reachedLease(timeTick)) {
            finish(State.EXPIRED);
        }
        return isEnded() && reachedLease(timeTick);
    }

    private void check(long timeTick, String what) {
        if (state == State.EXPIRED || (state == State.IN_FLIGHT && reachedLease(timeTick))) {
            finish(State.EXPIRED);
            throw new TransactionExpiredException(txnId(), "cannot " + what + " at time tick " + timeTick
                    + ": idle since time tick " + lastTimeTick + " for more than its keepalive of "
                    + context.keepalive());
        }
        if (state != State.IN_FLIGHT) {
            throw new InvalidTransactionStateException(txnId(), "cannot " + what + " in state " + state);
        }
    }

    private boolean reachedLease(long timeTick) {
        return HybridLogicalClock.physicalMillis(timeTick)
                >= HybridLogicalClock.physicalMillis(lastTimeTick) + keepaliveMillis;
    }

    private boolean isEnded() {
        return state == State.COMMITTED || state == State.ROLLED_BACK || state == State.EXPIRED
                || state == State.FAILED;
    }

    private void finish(State end) {
        if (isEnded()) {
            return;
        }
        state = end;
        drained.complete(null);
        ended.complete(end);
    }

    @Override
    public synchronized String toString() {
        return "TxnSession{" + context + " on " + vchannel + ", " + state + ", inFlight=" + inFlight + "}";
    }
}
