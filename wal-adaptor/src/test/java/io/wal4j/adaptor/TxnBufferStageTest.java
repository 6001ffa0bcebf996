package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.adaptor.timetick.HybridLogicalClock;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.ImmutableTxnMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The per-scanner transaction assembly, fed messages in time-tick order as the reorder stage emits them. */
class TxnBufferStageTest {

    private static final TxnContext TXN = new TxnContext(7, Duration.ofMillis(100));

    private final TxnBufferStats stats = new TxnBufferStats();
    private final TxnBufferStage stage = new TxnBufferStage("s", 10_000, stats);
    private final List<ImmutableMessage> out = new ArrayList<>();
    private long nextId = 1;

    private static long tick(long millis) {
        return millis << HybridLogicalClock.LOGICAL_BITS;
    }

    private ImmutableMessage msg(MessageType type, long tick, TxnContext txn, long term) {
        MutableMessage m = MutableMessage.newBuilder().messageType(type).vchannel("v1").payload(new byte[10]).build()
                .withTimeTick(tick).withTerm(term);
        if (txn != null) {
            m.withTxnContext(txn);
        }
        return m.toImmutable(new TxnSessionTest.TestId(nextId++));
    }

    private void push(ImmutableMessage m) {
        stage.accept(m, out::add);
    }

    @Test
    void aCommitEmitsOneTransactionMessageAndARepeatedBeginOrCommitIsIgnored() {
        push(msg(MessageType.BEGIN_TXN, tick(1_000), TXN, 1));
        push(msg(MessageType.BEGIN_TXN, tick(1_000), TXN, 1));
        push(msg(MessageType.DATA, tick(1_001), TXN, 1));
        ImmutableMessage commit = msg(MessageType.COMMIT_TXN, tick(1_002), TXN, 1);
        push(commit);
        push(commit);
        assertThat(out).hasSize(1);
        ImmutableTxnMessage whole = (ImmutableTxnMessage) out.get(0);
        assertThat(whole.size()).isEqualTo(1);
        assertThat(whole.bodies().get(0).timeTick()).isEqualTo(tick(1_002));
        assertThat(stage.heldBytes()).isZero();
        assertThat(stats.committed.sum()).isEqualTo(1);
    }

    @Test
    void aBodyWhoseBeginWasNotSeenIsDroppedAndPlainMessagesPassThrough() {
        push(msg(MessageType.DATA, tick(1_001), TXN, 1));
        push(msg(MessageType.COMMIT_TXN, tick(1_002), TXN, 1));
        ImmutableMessage plain = msg(MessageType.DATA, tick(1_003), null, 1);
        push(plain);
        assertThat(out).containsExactly(plain);
    }

    @Test
    void aTimeTickAtTheLeaseExpiresTheTransactionButOneMillisecondBeforeDoesNot() {
        push(msg(MessageType.BEGIN_TXN, tick(1_000), TXN, 1));
        push(msg(MessageType.DATA, tick(1_010), TXN, 1));
        push(msg(MessageType.TIME_TICK, tick(1_109) + 5, null, 1));
        assertThat(stage.openTransactions()).isEqualTo(1);
        push(msg(MessageType.TIME_TICK, tick(1_110), null, 1));
        assertThat(stage.openTransactions()).isZero();
        assertThat(stats.expired.sum()).isEqualTo(1);
        push(msg(MessageType.COMMIT_TXN, tick(1_111), TXN, 1));
        assertThat(out).allSatisfy(m -> assertThat(m.messageType()).isEqualTo(MessageType.TIME_TICK));
    }

    @Test
    void aTimeTickOfANewerTermDropsTheTransactionsOfTheDeadWriter() {
        push(msg(MessageType.BEGIN_TXN, tick(1_000), new TxnContext(1, Duration.ofHours(1)), 1));
        push(msg(MessageType.TIME_TICK, tick(1_001), null, 1));
        assertThat(stage.openTransactions()).isEqualTo(1);
        push(msg(MessageType.TIME_TICK, tick(1_002), null, 2));
        assertThat(stage.openTransactions()).isZero();
        assertThat(stats.expired.sum()).isEqualTo(1);
    }

    @Test
    void aRollbackDropsTheTransactionAndReleasesItsBytes() {
        push(msg(MessageType.BEGIN_TXN, tick(1_000), TXN, 1));
        push(msg(MessageType.DATA, tick(1_001), TXN, 1));
        assertThat(stage.heldBytes()).isPositive();
        assertThat(stats.heldBytes.sum()).isEqualTo(stage.heldBytes());
        push(msg(MessageType.ROLLBACK_TXN, tick(1_002), TXN, 1));
        assertThat(out).isEmpty();
        assertThat(stage.heldBytes()).isZero();
        assertThat(stats.heldBytes.sum()).isZero();
        assertThat(stats.rolledBack.sum()).isEqualTo(1);
    }

    @Test
    void holdingMoreThanTheLimitFailsTheStageForGoodNamingTheTransaction() {
        TxnBufferStage small = new TxnBufferStage("small", 300, stats);
        small.accept(msg(MessageType.BEGIN_TXN, tick(1_000), TXN, 1), out::add);
        assertThatThrownBy(() -> {
            for (int i = 1; i < 100; i++) {
                small.accept(msg(MessageType.DATA, tick(1_000 + i), TXN, 1), out::add);
            }
        }).isInstanceOf(WALException.class).hasMessageContaining("transaction 7")
                .hasMessageContaining(AdaptorConfig.TXN_BUFFER_BYTES.name());
        assertThatThrownBy(() -> small.accept(msg(MessageType.DATA, tick(2_000), null, 1), out::add))
                .isInstanceOf(WALException.class);
        assertThat(stats.heldBytes.sum()).isZero();
        assertThat(stats.tooLarge.sum()).isEqualTo(1);
    }
}
