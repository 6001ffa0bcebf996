package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.adaptor.timetick.AckManager;
import io.wal4j.adaptor.timetick.Acker;
import io.wal4j.adaptor.timetick.HybridLogicalClock;
import io.wal4j.api.InvalidTransactionStateException;
import io.wal4j.api.TransactionExpiredException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Every state transition of a writer's transaction session, on a clock the test sets. */
class TxnSessionTest {

    private final AtomicLong wallMillis = new AtomicLong(1_000);
    private final AtomicLong nextId = new AtomicLong(1);
    private final AckManager acks = new AckManager(new HybridLogicalClock(wallMillis::get),
            1_000L << HybridLogicalClock.LOGICAL_BITS, new TestId(0));

    private TxnSession openSession(long keepaliveMillis) {
        Acker begin = acks.allocate();
        TestId beginId = new TestId(nextId.getAndIncrement());
        TxnSession session = new TxnSession("v1", new TxnContext(begin.timeTick(), Duration.ofMillis(keepaliveMillis)),
                begin.timeTick(), beginId);
        acks.ack(begin, stored(begin, beginId));
        return session;
    }

    private static ImmutableMessage stored(Acker acker, MessageId id) {
        return MutableMessage.newBuilder().build().withTimeTick(acker.timeTick()).toImmutable(id);
    }

    private void ack(Acker acker) {
        acks.ack(acker, stored(acker, new TestId(nextId.getAndIncrement())));
    }

    @Test
    void aBodyIsInFlightUntilItIsDoneAndACommitThenWaitsForNothing() {
        TxnSession session = openSession(1_000);
        Acker body = session.beginBody(acks);
        assertThat(session.inFlight()).isEqualTo(1);
        session.bodyDone(body.timeTick());
        ack(body);
        assertThat(session.inFlight()).isZero();
        Acker commit = session.requestEnd(acks, true);
        assertThat(session.state()).isEqualTo(TxnSession.State.ON_COMMIT);
        assertThat(session.drained()).isDone();
        session.endDone();
        ack(commit);
        assertThat(session.state()).isEqualTo(TxnSession.State.COMMITTED);
        assertThat(session.ended()).isCompletedWithValue(TxnSession.State.COMMITTED);
    }

    @Test
    void aCommitRequestedWhileABodyIsInFlightDrainsOnlyWhenThatBodyEnds() {
        TxnSession session = openSession(1_000);
        Acker body = session.beginBody(acks);
        Acker commit = session.requestEnd(acks, true);
        assertThat(commit.timeTick()).isGreaterThan(body.timeTick());
        assertThat(session.drained()).isNotDone();
        session.bodyFailed();
        acks.fail(body);
        assertThat(session.drained()).isDone();
        session.endDone();
        ack(commit);
        assertThat(session.state()).isEqualTo(TxnSession.State.COMMITTED);
    }

    @Test
    void aRollbackEndsInRolledBackAndRefusesLaterBodiesAndCommitsWithInvalidState() {
        TxnSession session = openSession(1_000);
        Acker rollback = session.requestEnd(acks, false);
        assertThat(session.state()).isEqualTo(TxnSession.State.ON_ROLLBACK);
        assertThatThrownBy(() -> session.beginBody(acks)).isInstanceOf(InvalidTransactionStateException.class)
                .hasMessageContaining("ON_ROLLBACK");
        assertThatThrownBy(() -> session.requestEnd(acks, true)).isInstanceOf(InvalidTransactionStateException.class);
        session.endDone();
        ack(rollback);
        assertThat(session.state()).isEqualTo(TxnSession.State.ROLLED_BACK);
        assertThatThrownBy(() -> session.beginBody(acks)).isInstanceOf(InvalidTransactionStateException.class)
                .hasMessageContaining("ROLLED_BACK");
    }

    @Test
    void aSecondCommitFailsWithInvalidStateAndReleasesItsTick() {
        TxnSession session = openSession(1_000);
        Acker commit = session.requestEnd(acks, true);
        assertThatThrownBy(() -> session.requestEnd(acks, true)).isInstanceOf(InvalidTransactionStateException.class)
                .hasMessageContaining("ON_COMMIT");
        session.endDone();
        ack(commit);
        assertThat(acks.lastConfirmedTimeTick()).isGreaterThanOrEqualTo(commit.timeTick());
    }

    @Test
    void aBodyOneMillisecondBeforeTheLeaseIsAcceptedAndOneAtTheLeaseExpiresTheSession() {
        TxnSession session = openSession(100);
        wallMillis.set(1_099);
        Acker justInTime = session.beginBody(acks);
        session.bodyDone(justInTime.timeTick());
        ack(justInTime);
        wallMillis.set(1_099 + 100);
        assertThatThrownBy(() -> session.beginBody(acks)).isInstanceOf(TransactionExpiredException.class)
                .hasMessageContaining("keepalive");
        assertThat(session.state()).isEqualTo(TxnSession.State.EXPIRED);
        assertThat(session.ended()).isCompletedWithValue(TxnSession.State.EXPIRED);
        assertThatThrownBy(() -> session.requestEnd(acks, true)).isInstanceOf(TransactionExpiredException.class);
        assertThat(acks.lastConfirmedTimeTick()).as("refused ticks are resolved").isGreaterThan(justInTime.timeTick());
    }

    @Test
    void aTimeTickExpiresAnIdleSessionExactlyAtItsLeaseButNotOneMillisecondBefore() {
        TxnSession session = openSession(100);
        long leaseTick = 1_100L << HybridLogicalClock.LOGICAL_BITS;
        assertThat(session.expireOrDoneAt(leaseTick - 1)).isFalse();
        assertThat(session.state()).isEqualTo(TxnSession.State.IN_FLIGHT);
        assertThat(session.expireOrDoneAt(leaseTick)).isTrue();
        assertThat(session.state()).isEqualTo(TxnSession.State.EXPIRED);
    }

    @Test
    void anEndedSessionIsRememberedUntilItsLeaseSoLateCallsLearnItsState() {
        TxnSession session = openSession(100);
        Acker commit = session.requestEnd(acks, true);
        session.endDone();
        ack(commit);
        assertThat(session.expireOrDoneAt((1_100L << HybridLogicalClock.LOGICAL_BITS) - 1)).isFalse();
        assertThat(session.state()).isEqualTo(TxnSession.State.COMMITTED);
        assertThat(session.expireOrDoneAt(1_100L << HybridLogicalClock.LOGICAL_BITS)).isTrue();
    }

    @Test
    void aTimeTickDoesNotExpireASessionWithABodyInFlightNorOneWaitingToCommit() {
        TxnSession busy = openSession(100);
        busy.beginBody(acks);
        assertThat(busy.expireOrDoneAt(5_000L << HybridLogicalClock.LOGICAL_BITS)).isFalse();
        TxnSession committing = openSession(100);
        committing.requestEnd(acks, true);
        assertThat(committing.expireOrDoneAt(5_000L << HybridLogicalClock.LOGICAL_BITS)).isFalse();
        assertThat(committing.state()).isEqualTo(TxnSession.State.ON_COMMIT);
    }

    @Test
    void anAcknowledgedBodyRefreshesTheLease() {
        TxnSession session = openSession(100);
        wallMillis.set(1_080);
        Acker body = session.beginBody(acks);
        session.bodyDone(body.timeTick());
        ack(body);
        assertThat(session.expireOrDoneAt(1_150L << HybridLogicalClock.LOGICAL_BITS)).isFalse();
        assertThat(session.expireOrDoneAt(1_180L << HybridLogicalClock.LOGICAL_BITS)).isTrue();
    }

    @Test
    void failingAnOpenSessionEndsItAndMakesLaterCallsInvalidButFailingAnEndedOneDoesNothing() {
        TxnSession session = openSession(1_000);
        assertThat(session.fail()).isTrue();
        assertThat(session.ended()).isCompletedWithValue(TxnSession.State.FAILED);
        assertThatThrownBy(() -> session.beginBody(acks)).isInstanceOf(InvalidTransactionStateException.class)
                .hasMessageContaining("FAILED");
        assertThat(session.fail()).isFalse();
        TxnSession committed = openSession(1_000);
        Acker commit = committed.requestEnd(acks, true);
        committed.endDone();
        ack(commit);
        assertThat(committed.fail()).isFalse();
        assertThat(committed.state()).isEqualTo(TxnSession.State.COMMITTED);
    }

    @Test
    void theManagerBoundsTheLastConfirmedIdByTheOldestOpenBeginUntilItEnds() {
        TxnManager manager = new TxnManager(acks::recheckConfirmedIdLimit);
        acks.setConfirmedIdLimit(manager);
        Acker begin = acks.allocate();
        TestId beginId = new TestId(nextId.getAndIncrement());
        TxnSession session = new TxnSession("v1", new TxnContext(begin.timeTick(), Duration.ofSeconds(1)),
                begin.timeTick(), beginId);
        manager.register(session);
        acks.ack(begin, stored(begin, beginId));
        for (int i = 0; i < 5; i++) {
            ack(acks.allocate());
        }
        acks.sync();
        assertThat(acks.lastConfirmedId()).isEqualTo(beginId);
        assertThat(acks.allocate().lastConfirmedId()).isEqualTo(beginId);
        assertThat(manager.openCount()).isEqualTo(1);
        Acker commit = session.requestEnd(acks, true);
        session.endDone();
        ack(commit);
        assertThat(manager.openCount()).isZero();
        assertThat(acks.lastConfirmedId()).isNotEqualTo(beginId);
        assertThat(((TestId) acks.lastConfirmedId()).value()).isGreaterThan(beginId.value());
    }

    @Test
    void theManagerFailsOnlyTheTransactionsOfTheVChannelOrAllForTheEmptyOne() {
        TxnManager manager = new TxnManager(() -> { });
        TxnSession v1 = new TxnSession("v1", new TxnContext(1, Duration.ofSeconds(1)), 1, new TestId(1));
        TxnSession v2 = new TxnSession("v2", new TxnContext(2, Duration.ofSeconds(1)), 2, new TestId(2));
        TxnSession other = new TxnSession("v3", new TxnContext(3, Duration.ofSeconds(1)), 3, new TestId(3));
        manager.register(v1);
        manager.register(v2);
        manager.register(other);
        assertThat(manager.failAt("v1")).isEqualTo(1);
        assertThat(v1.state()).isEqualTo(TxnSession.State.FAILED);
        assertThat(v2.state()).isEqualTo(TxnSession.State.IN_FLIGHT);
        assertThat(manager.failAt("")).isEqualTo(2);
        assertThat(other.state()).isEqualTo(TxnSession.State.FAILED);
        assertThat(manager.openCount()).isZero();
    }

    /** A plain long id for these tests. */
    record TestId(long value) implements MessageId {
        @Override
        public String walName() {
            return "txntest";
        }

        @Override
        public byte[] marshal() {
            return java.nio.ByteBuffer.allocate(8).putLong(value).array();
        }

        @Override
        public int compareTo(MessageId other) {
            return Long.compare(value, ((TestId) other).value);
        }
    }
}
