package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.timetick.AckManager;
import io.wal4j.adaptor.timetick.HybridLogicalClock;
import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.ReservedProperties;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

class TimeTickInterceptorTest {

    private static final PChannelInfo CHANNEL = PChannelInfo.readWrite("tti", 1);

    private final AckManager acks = new AckManager(HybridLogicalClock.systemClock(),
            HybridLogicalClock.systemClock().allocate(), new TimeTickSyncOperatorTest.FakeId(0));
    private final AtomicInteger resolved = new AtomicInteger();
    private final TimeTickInterceptor interceptor = new TimeTickInterceptor(acks, resolved::incrementAndGet);

    @Test
    void stampsTheTickAndResumePointReportsTheTickAndAcknowledgesOnSuccess() {
        AppendContext ctx = AppendContext.create(CHANNEL, Durability.MEMORY);
        MutableMessage message = MutableMessage.newBuilder().build();
        CompletableFuture<AppendOutcome> backend = new CompletableFuture<>();
        CompletableFuture<AppendOutcome> outcome = interceptor.doAppend(ctx, message, (c, m) -> backend);
        long tick = Long.parseLong(message.property(ReservedProperties.TIME_TICK));
        assertThat(ctx.timeTick()).isEqualTo(tick);
        assertThat(message.property(ReservedProperties.LAST_CONFIRMED)).isNotNull();
        assertThat(acks.hasUnsyncedAcks()).isFalse();
        backend.complete(new AppendOutcome(new TimeTickSyncOperatorTest.FakeId(1), Durability.MEMORY));
        assertThat(outcome).isCompleted();
        assertThat(resolved).hasValue(1);
        assertThat(acks.hasUnsyncedAcks()).isTrue();
        assertThat(acks.lastAcknowledgedTimeTick()).isEqualTo(tick);
    }

    @Test
    void aFailedAppendResolvesItsTickWithoutAcknowledgingIt() {
        AppendContext ctx = AppendContext.create(CHANNEL, Durability.MEMORY);
        CompletableFuture<AppendOutcome> outcome = interceptor.doAppend(ctx, MutableMessage.newBuilder().build(),
                (c, m) -> CompletableFuture.failedFuture(new IllegalStateException("backend")));
        assertThat(outcome).isCompletedExceptionally();
        assertThat(resolved).hasValue(1);
        assertThat(acks.hasUnsyncedAcks()).isFalse();
        assertThat(acks.lastConfirmedTimeTick()).isEqualTo(ctx.timeTick());
    }

    @Test
    void aTimeTickMessagePassesThroughUntouched() {
        AppendContext ctx = AppendContext.create(CHANNEL, Durability.MEMORY);
        MutableMessage tick = MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build().withTimeTick(7);
        interceptor.doAppend(ctx, tick, (c, m) -> CompletableFuture.completedFuture(
                new AppendOutcome(new TimeTickSyncOperatorTest.FakeId(1), Durability.MEMORY)));
        assertThat(tick.property(ReservedProperties.TIME_TICK)).isEqualTo("7");
        assertThat(ctx.timeTick()).isZero();
        assertThat(resolved).hasValue(0);
    }
}
