package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/** The MVCC bookkeeping of §3.7: unconfirmed per-vchannel entries, confirmed channel time tick. */
class MvccManagerTest {

    private final MvccManager mvcc = new MvccManager(100);

    private static ImmutableMessage message(MessageType type, String vchannel, long tick, boolean inTxn) {
        MutableMessage m = MutableMessage.newBuilder().messageType(type).vchannel(vchannel).build().withTimeTick(tick);
        if (inTxn) {
            m.withTxnContext(new TxnContext(1, Duration.ofSeconds(1)));
        }
        return m.toImmutable(new TxnSessionTest.TestId(tick));
    }

    @Test
    void aVChannelWithoutNewMessagesGetsTheChannelTimeTickConfirmed() {
        assertThat(mvcc.latest("v1")).isEqualTo(new MvccManager.Mvcc(100, true));
    }

    @Test
    void aPlainMessageRaisesItsVChannelUnconfirmedUntilATimeTickAtOrAboveItConfirmsIt() {
        mvcc.update(message(MessageType.DATA, "v1", 110, false));
        assertThat(mvcc.latest("v1")).isEqualTo(new MvccManager.Mvcc(110, false));
        assertThat(mvcc.latest("v2")).isEqualTo(new MvccManager.Mvcc(100, true));
        mvcc.update(message(MessageType.TIME_TICK, "", 105, false));
        assertThat(mvcc.latest("v1")).isEqualTo(new MvccManager.Mvcc(110, false));
        mvcc.update(message(MessageType.TIME_TICK, "", 110, false));
        assertThat(mvcc.latest("v1")).isEqualTo(new MvccManager.Mvcc(110, true));
    }

    @Test
    void uncommittedTransactionMessagesAreInvisibleAndTheCommitCounts() {
        mvcc.update(message(MessageType.BEGIN_TXN, "v1", 110, true));
        mvcc.update(message(MessageType.DATA, "v1", 111, true));
        assertThat(mvcc.latest("v1").confirmed()).isTrue();
        mvcc.update(message(MessageType.COMMIT_TXN, "v1", 112, true));
        assertThat(mvcc.latest("v1")).isEqualTo(new MvccManager.Mvcc(112, false));
    }

    @Test
    void aBroadcastCountsForEveryVChannelAndTheEmptyNameAsksForTheWholeChannel() {
        mvcc.update(message(MessageType.DATA, "", 120, false));
        mvcc.update(message(MessageType.DATA, "v1", 115, false));
        assertThat(mvcc.latest("v1")).isEqualTo(new MvccManager.Mvcc(120, false));
        assertThat(mvcc.latest("v9")).isEqualTo(new MvccManager.Mvcc(120, false));
        assertThat(mvcc.latest("")).isEqualTo(new MvccManager.Mvcc(120, false));
    }

    @Test
    void messagesAtOrBelowTheChannelTimeTickAreIgnored() {
        mvcc.update(message(MessageType.DATA, "v1", 100, false));
        assertThat(mvcc.latest("v1")).isEqualTo(new MvccManager.Mvcc(100, true));
    }
}
