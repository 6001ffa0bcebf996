package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The lock rules of the lock interceptor, with an inner step whose completions the test controls. */
class LockInterceptorTest {

    private static final MessageType FLUSH = MessageType.define("lock-test-flush", true);
    private static final PChannelInfo CHANNEL = PChannelInfo.readWrite("lock", 1);

    private final TxnManager txns = new TxnManager(() -> { });
    private final LockInterceptor lock = new LockInterceptor(txns);
    private final List<String> entered = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<AppendOutcome>> inner = new CopyOnWriteArrayList<>();

    private CompletableFuture<AppendOutcome> append(MessageType type, String vchannel, AppendContext ctx) {
        MutableMessage message = MutableMessage.newBuilder().messageType(type).vchannel(vchannel)
                .property("name", type + "@" + vchannel + "#" + entered.size() + inner.size()).build();
        return lock.doAppend(ctx, message, (c, m) -> {
            entered.add(m.messageType() + "@" + m.vchannel());
            CompletableFuture<AppendOutcome> outcome = new CompletableFuture<>();
            inner.add(outcome);
            return outcome;
        });
    }

    private CompletableFuture<AppendOutcome> append(MessageType type, String vchannel) {
        return append(type, vchannel, AppendContext.create(CHANNEL, Durability.MEMORY));
    }

    private void completeInner(int index) {
        inner.get(index).complete(new AppendOutcome(new TxnSessionTest.TestId(index), Durability.MEMORY));
    }

    @Test
    void anExclusiveMessageWaitsForTheAppendsInFlightOnItsVChannelButNotForOtherVChannels() {
        append(MessageType.DATA, "v1");
        CompletableFuture<AppendOutcome> flush = append(FLUSH, "v1");
        append(MessageType.DATA, "v2");
        CompletableFuture<AppendOutcome> laterOnV1 = append(MessageType.DATA, "v1");
        assertThat(entered).containsExactly("Data@v1", "Data@v2");
        completeInner(0);
        assertThat(entered).containsExactly("Data@v1", "Data@v2", FLUSH + "@v1");
        completeInner(2);
        assertThat(flush).isCompleted();
        assertThat(entered).containsExactly("Data@v1", "Data@v2", FLUSH + "@v1", "Data@v1");
        completeInner(1);
        completeInner(3);
        assertThat(laterOnV1).isCompleted();
        assertThat(lock.vchannelLocks()).as("idle vchannels keep no lock").isZero();
    }

    @Test
    void aChannelWideExclusiveMessageWaitsForEveryVChannelAndBlocksThemAll() {
        append(MessageType.DATA, "v1");
        append(MessageType.DATA, "v2");
        CompletableFuture<AppendOutcome> flushAll = append(FLUSH, "");
        append(MessageType.DATA, "v3");
        assertThat(entered).containsExactly("Data@v1", "Data@v2");
        completeInner(0);
        assertThat(entered).hasSize(2);
        completeInner(1);
        assertThat(entered).containsExactly("Data@v1", "Data@v2", FLUSH + "@");
        completeInner(2);
        assertThat(flushAll).isCompleted();
        assertThat(entered).last().isEqualTo("Data@v3");
        completeInner(3);
        assertThat(lock.vchannelLocks()).isZero();
    }

    @Test
    void anAppendAbandonedWhileWaitingLeavesTheQueueAndHoldsNothing() {
        append(FLUSH, "v1");
        AppendContext ctx = AppendContext.create(CHANNEL, Durability.MEMORY);
        CompletableFuture<AppendOutcome> waiting = append(MessageType.DATA, "v1", ctx);
        ctx.cancel(new RuntimeException("caller gave up"));
        assertThat(waiting).isCompletedExceptionally();
        completeInner(0);
        CompletableFuture<AppendOutcome> exclusiveAgain = append(FLUSH, "v1");
        assertThat(entered).containsExactly(FLUSH + "@v1", FLUSH + "@v1");
        completeInner(1);
        assertThat(exclusiveAgain).isCompleted();
        assertThat(lock.vchannelLocks()).isZero();
    }

    @Test
    void anAcknowledgedExclusiveMessageFailsTheTransactionsOfItsVChannelAndAFailedOneDoesNot() {
        TxnSession onV1 = new TxnSession("v1", new TxnContext(1, Duration.ofMinutes(1)), 1, new TxnSessionTest.TestId(1));
        TxnSession onV2 = new TxnSession("v2", new TxnContext(2, Duration.ofMinutes(1)), 2, new TxnSessionTest.TestId(2));
        txns.register(onV1);
        txns.register(onV2);
        append(FLUSH, "v1");
        inner.get(0).completeExceptionally(new RuntimeException("not written"));
        assertThat(onV1.state()).isEqualTo(TxnSession.State.IN_FLIGHT);
        append(FLUSH, "v1");
        completeInner(1);
        assertThat(onV1.state()).isEqualTo(TxnSession.State.FAILED);
        assertThat(onV2.state()).isEqualTo(TxnSession.State.IN_FLIGHT);
    }

    @Test
    void timeTicksPassWithoutTakingAnyLock() {
        append(FLUSH, "");
        append(MessageType.TIME_TICK, "");
        assertThat(entered).containsExactly(FLUSH + "@", MessageType.TIME_TICK + "@");
        List<CompletableFuture<AppendOutcome>> all = new ArrayList<>(inner);
        assertThat(all).hasSize(2);
    }
}
