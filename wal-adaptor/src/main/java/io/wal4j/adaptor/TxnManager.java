package io.wal4j.adaptor;

import io.wal4j.adaptor.timetick.ConfirmedIdLimit;
import io.wal4j.api.TransactionExpiredException;
import io.wal4j.api.message.MessageId;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The open transactions of one writer (Milvus reference §3.8): registers sessions when their begin is acknowledged,
 * finds them for bodies, commits and rollbacks, expires them at time ticks, fails them for exclusive messages, and
 * bounds the last-confirmed id by the begin of the oldest open one ({@link ConfirmedIdLimit}).
 *
 * <p>Transactions belong to this writer: after a reopen (a crash included) the new writer knows none of the old
 * ones, so their bodies and commits fail with {@link TransactionExpiredException} and their begins do not hold the
 * last-confirmed id back.
 *
 * <p>Thread-safe; the limit reads only concurrent structures, never a session's lock, so the ack manager may consult it
 * under its own lock while a session allocates a tick under the session's. Lives as long as its WAL.
 */
final class TxnManager implements ConfirmedIdLimit {

    private final Map<Long, TxnSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<MessageId, Long> openBegins = new ConcurrentSkipListMap<>();
    private final Runnable onLimitRaised;
    private volatile boolean closing;

    /** @param onLimitRaised run when an open transaction ended (the last-confirmed id may catch up); must not throw */
    TxnManager(Runnable onLimitRaised) {
        this.onLimitRaised = onLimitRaised;
    }

    /** @throws TransactionExpiredException if the WAL is closing */
    void checkAdmitting(long txnId) {
        if (closing) {
            throw new TransactionExpiredException(txnId, "the WAL is closing and admits no new transaction");
        }
    }

    /** Registers a session whose begin was acknowledged; call before the begin's acker is acknowledged. */
    void register(TxnSession session) {
        openBegins.put(session.beginId(), session.txnId());
        sessions.put(session.txnId(), session);
        session.ended().whenComplete((state, failure) -> remove(session));
    }

    /** @return the open session, or null when the id is unknown (never begun here, ended, or of an older writer) */
    TxnSession find(long txnId) {
        return sessions.get(txnId);
    }

    /**
     * Expires every session whose lease {@code timeTick} reached, and forgets ended ones whose lease it reached. An
     * ended session is kept until then so that a late body or a second commit gets {@link io.wal4j.api.InvalidTransactionStateException}
     * naming its final state rather than "unknown".
     */
    void cleanupUntil(long timeTick) {
        for (TxnSession session : sessions.values()) {
            if (session.expireOrDoneAt(timeTick)) {
                sessions.remove(session.txnId(), session);
            }
        }
    }

    /**
     * Fails the open transactions on {@code vchannel}, or every one when it is empty (an exclusive message was
     * appended there).
     *
     * @return how many were failed
     */
    int failAt(String vchannel) {
        int failed = 0;
        for (TxnSession session : sessions.values()) {
            if ((vchannel.isEmpty() || session.vchannel().equals(vchannel)) && session.fail()) {
                failed++;
            }
        }
        return failed;
    }

    /** @return how many transactions are open */
    int openCount() {
        return openBegins.size();
    }

    private void remove(TxnSession session) {
        openBegins.remove(session.beginId(), session.txnId());
        onLimitRaised.run();
    }

    @Override
    public Optional<MessageId> limit() {
        Map.Entry<MessageId, Long> oldest = openBegins.firstEntry();
        return oldest == null ? Optional.empty() : Optional.of(oldest.getKey());
    }

    /**
     * Refuses new transactions from now on and waits up to {@code wait} for the open ones to end.
     *
     * @return whether every open transaction ended in time
     */
    boolean closeAndAwait(Duration wait) {
        closing = true;
        CompletableFuture<?>[] pending = sessions.values().stream().map(TxnSession::ended).filter(f -> !f.isDone())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(wait.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
