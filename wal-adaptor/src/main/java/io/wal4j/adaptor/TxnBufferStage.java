package io.wal4j.adaptor;

import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.ImmutableTxnMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.ReservedProperties;
import io.wal4j.api.message.TxnContext;
import io.wal4j.adaptor.timetick.HybridLogicalClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Assembles transactions for one scanner (Milvus reference §3.8, {@code TxnBuffer}). Runs after the
 * {@link ReorderStage}, so messages arrive in time-tick order: a begin opens a builder (a repeated begin is ignored), a
 * body joins its builder (a body without one — its begin lies before the scanner's start — is dropped), a commit
 * emits one {@link ImmutableTxnMessage} whose bodies carry the commit's time tick, a rollback drops the builder. At
 * each time tick, builders whose lease ran out (last tick + keepalive, in physical milliseconds) are dropped as
 * expired, and so are those begun by an older writer's term (a writer's transactions die with it). Everything else
 * passes through.
 *
 * <p>The bytes held are bounded: a transaction that would push them over the limit fails the scanner with a
 * {@link WALException} naming it, for this and every later call, rather than exhausting memory.
 *
 * <p>Not thread-safe: used on the scanner's consuming thread. Releases its bytes from the shared stats when it fails;
 * a scanner closed with open builders leaves them counted until garbage (documented gap: no close hook on stages).
 */
final class TxnBufferStage implements ScanStage {

    private static final Logger LOG = LoggerFactory.getLogger(TxnBufferStage.class);

    private final String scanner;
    private final long limitBytes;
    private final TxnBufferStats stats;
    private final Map<Long, Builder> builders = new LinkedHashMap<>();
    private long heldBytes;
    private WALException failure;

    TxnBufferStage(String scanner, long limitBytes, TxnBufferStats stats) {
        this.scanner = scanner;
        this.limitBytes = limitBytes;
        this.stats = stats;
    }

    @Override
    public void accept(ImmutableMessage message, Consumer<ImmutableMessage> downstream) {
        if (failure != null) {
            throw failure;
        }
        MessageType type = message.messageType();
        if (type.equals(MessageType.TIME_TICK)) {
            if (!builders.isEmpty() && message.hasTimeTick()) { // most ticks find no open transaction: skip the parsing
                purge(message.timeTick(), message.term().orElse(Long.MIN_VALUE));
            }
            downstream.accept(message);
            return;
        }
        TxnContext txn = message.txnContext().orElse(null);
        if (txn == null || type.equals(MessageType.TXN)) {
            downstream.accept(message);
            return;
        }
        if (type.equals(MessageType.BEGIN_TXN)) {
            if (!builders.containsKey(txn.txnId())) {
                Builder builder = new Builder(message, txn);
                builders.put(txn.txnId(), builder);
                hold(builder, message);
            }
        } else if (type.equals(MessageType.COMMIT_TXN)) {
            Builder builder = builders.remove(txn.txnId());
            if (builder != null) {
                release(builder);
                stats.committed.increment();
                downstream.accept(builder.build(message));
            }
        } else if (type.equals(MessageType.ROLLBACK_TXN)) {
            Builder builder = builders.remove(txn.txnId());
            if (builder != null) {
                release(builder);
                stats.rolledBack.increment();
            }
        } else {
            Builder builder = builders.get(txn.txnId());
            if (builder == null) {
                LOG.debug("scanner {}: dropping a body of transaction {} whose begin it did not see", scanner,
                        txn.txnId());
                return;
            }
            builder.bodies.add(message);
            if (message.hasTimeTick()) {
                builder.lastTimeTick = Math.max(builder.lastTimeTick, message.timeTick());
            }
            hold(builder, message);
        }
    }

    /** @return the bytes of open transactions this scanner holds */
    long heldBytes() {
        return heldBytes;
    }

    /** @return how many transactions this scanner holds open */
    int openTransactions() {
        return builders.size();
    }

    private void hold(Builder builder, ImmutableMessage message) {
        long size = message.estimateSize();
        builder.bytes += size;
        heldBytes += size;
        stats.heldBytes.add(size);
        if (heldBytes > limitBytes) {
            stats.tooLarge.increment();
            failure = new WALException("scanner " + scanner + ": transaction " + builder.context.txnId() + " ("
                    + builder.bytes + " bytes so far) would make the open transactions held exceed "
                    + AdaptorConfig.TXN_BUFFER_BYTES.name() + " = " + limitBytes + " bytes (" + heldBytes
                    + " bytes in " + builders.size() + " transactions); raise the limit or make transactions smaller");
            stats.heldBytes.add(-heldBytes);
            heldBytes = 0;
            builders.clear();
            throw failure;
        }
    }

    private void release(Builder builder) {
        heldBytes -= builder.bytes;
        stats.heldBytes.add(-builder.bytes);
    }

    private void purge(long timeTick, long term) {
        long now = HybridLogicalClock.physicalMillis(timeTick);
        for (Iterator<Builder> it = builders.values().iterator(); it.hasNext(); ) {
            Builder builder = it.next();
            boolean leaseOver = HybridLogicalClock.physicalMillis(builder.lastTimeTick) + builder.keepaliveMillis <= now;
            boolean olderWriter = builder.term < term;
            if (leaseOver || olderWriter) {
                it.remove();
                release(builder);
                stats.expired.increment();
            }
        }
    }

    /** One open transaction: its begin, bodies in order, lease and bytes. */
    private static final class Builder {
        final ImmutableMessage begin;
        final TxnContext context;
        final long keepaliveMillis;
        final long term;
        final List<ImmutableMessage> bodies = new ArrayList<>();
        long lastTimeTick;
        long bytes;

        Builder(ImmutableMessage begin, TxnContext context) {
            this.begin = begin;
            this.context = context;
            this.keepaliveMillis = context.keepalive().toMillis();
            this.term = begin.term().orElse(Long.MIN_VALUE);
            this.lastTimeTick = begin.hasTimeTick() ? begin.timeTick() : 0;
        }

        ImmutableTxnMessage build(ImmutableMessage commit) {
            if (!commit.hasTimeTick()) {
                return ImmutableTxnMessage.of(begin, bodies, commit);
            }
            String tick = commit.property(ReservedProperties.TIME_TICK);
            List<ImmutableMessage> stamped = new ArrayList<>(bodies.size());
            for (ImmutableMessage body : bodies) {
                Map<String, String> properties = new HashMap<>(body.properties());
                properties.put(ReservedProperties.TIME_TICK, tick);
                stamped.add(ImmutableMessage.of(body.id(), body.payload(), properties));
            }
            return ImmutableTxnMessage.of(begin, stamped, commit);
        }
    }
}
