package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.adaptor.timetick.AckManager;
import io.wal4j.adaptor.timetick.Acker;
import io.wal4j.adaptor.timetick.HybridLogicalClock;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.utility.WriteAheadBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

class TimeTickSyncOperatorTest {

    private static final PChannelInfo CHANNEL = PChannelInfo.readWrite("sync", 1);

    /** A time-tick append the test completes by hand. */
    record Held(MutableMessage tick, MessageId notPersistedId, CompletableFuture<ImmutableMessage> future) {
        void store(long id) {
            future.complete(tick.toImmutable(new FakeId(id)));
        }
    }

    private final AtomicLong nextId = new AtomicLong(1);
    private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    private final AckManager acks = new AckManager(HybridLogicalClock.systemClock(),
            HybridLogicalClock.systemClock().allocate(), new FakeId(0));
    private final WriteAheadBuffer<ImmutableMessage> buffer =
            new WriteAheadBuffer<>(1 << 20, Duration.ofMinutes(1), ImmutableMessage::estimateSize);
    private TimeTickSyncOperator operator;
    private final AtomicBoolean readersWaiting = new AtomicBoolean(true);

    private TimeTickSyncOperator newOperator(Duration interval) {
        operator = new TimeTickSyncOperator(CHANNEL, acks, 1, buffer, (tick, np) -> {
            CompletableFuture<ImmutableMessage> future = new CompletableFuture<>();
            held.add(new Held(tick, np, future));
            return future;
        }, SharedScheduler.acquire(), interval, readersWaiting::get);
        return operator;
    }

    @AfterEach
    void close() {
        if (operator != null) {
            operator.close();
        }
        buffer.close();
    }

    private ImmutableMessage ackOne() {
        Acker acker = acks.allocate();
        ImmutableMessage stored = MutableMessage.newBuilder().build().withTimeTick(acker.timeTick())
                .toImmutable(new FakeId(nextId.getAndIncrement()));
        acks.ack(acker, stored);
        return stored;
    }

    @Test
    void concurrentTriggersCoalesceIntoAtMostOneSyncInFlight() throws Exception {
        newOperator(Duration.ofHours(1));
        ackOne();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> triggerers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 200; i++) {
                    operator.trigger(false);
                }
            });
            triggerers.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread t : triggerers) {
            t.join();
        }
        Held first = held.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(held).as("syncs in flight while the first is").isEmpty();
        first.store(nextId.getAndIncrement());
        // The 1,600 triggers made while it was in flight collapse into one more sync.
        Held second = held.poll(10, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        second.store(nextId.getAndIncrement());
        assertThat(held.poll(100, TimeUnit.MILLISECONDS)).isNull();
        assertThat(operator.maxConcurrentSyncs()).isEqualTo(1);
        assertThat(operator.persistedSyncs() + operator.notPersistedSyncs()).isEqualTo(2);
    }

    @Test
    void aSyncWithDataIsPersistedAndBuffersTheDataThenTheTick() throws Exception {
        newOperator(Duration.ofHours(1));
        ImmutableMessage a = ackOne();
        ImmutableMessage b = ackOne();
        operator.onResolved();
        Held sync = held.poll(10, TimeUnit.SECONDS);
        assertThat(sync.notPersistedId()).isNull();
        assertThat(sync.tick().messageType()).isEqualTo(MessageType.TIME_TICK);
        assertThat(sync.tick().property("_np")).isNull();
        sync.store(10);
        WriteAheadBuffer.Reader<ImmutableMessage> reader = buffer.reader(0);
        assertThat(reader.poll()).isEqualTo(a);
        assertThat(reader.poll()).isEqualTo(b);
        ImmutableMessage tick = reader.poll();
        assertThat(tick.messageType()).isEqualTo(MessageType.TIME_TICK);
        assertThat(tick.timeTick()).isGreaterThan(b.timeTick());
        assertThat(operator.persistedSyncs()).isEqualTo(1);
        assertThat(operator.lastPersistedTick()).isEqualTo(tick.timeTick());
    }

    @Test
    void withoutDataTheTickIsNotPersistedUnlessAPersistedTickWasRequested() throws Exception {
        newOperator(Duration.ofHours(1));
        operator.onResolved(); // nothing acknowledged: no sync
        assertThat(held.poll(50, TimeUnit.MILLISECONDS)).isNull();
        operator.trigger(false);
        Held idle = held.poll(10, TimeUnit.SECONDS);
        assertThat(idle.notPersistedId()).isEqualTo(acks.lastConfirmedId());
        assertThat(idle.tick().property("_np")).isEqualTo("1");
        idle.store(0);
        operator.trigger(true);
        Held forced = held.poll(10, TimeUnit.SECONDS);
        assertThat(forced.notPersistedId()).isNull();
        forced.store(5);
        assertThat(operator.notPersistedSyncs()).isEqualTo(1);
        assertThat(operator.persistedSyncs()).isEqualTo(1);
    }

    @Test
    void withNoReaderWaitingAResolvedAppendSyncsOnlyOnceEnoughAcknowledgementsWait() throws Exception {
        newOperator(Duration.ofHours(1));
        readersWaiting.set(false);
        for (int i = 1; i < TimeTickSyncOperator.MAX_UNSYNCED; i++) {
            ackOne();
            operator.onResolved();
        }
        assertThat(operator.attempts()).as("syncs attempted below the threshold").isZero();
        assertThat(held).isEmpty();
        ackOne();
        operator.onResolved();
        Held sync = held.poll(10, TimeUnit.SECONDS);
        assertThat(sync).isNotNull();
        assertThat(sync.notPersistedId()).as("a sync carrying data is persisted").isNull();
        sync.store(nextId.getAndIncrement());
        WriteAheadBuffer.Reader<ImmutableMessage> reader = buffer.reader(0);
        int buffered = 0;
        while (reader.poll() != null) {
            buffered++;
        }
        assertThat(buffered).as("every acknowledged message and the tick").isEqualTo(
                TimeTickSyncOperator.MAX_UNSYNCED + 1);
    }

    @Test
    void aReaderWaitingMakesEveryResolvedAppendSyncAtOnce() throws Exception {
        newOperator(Duration.ofHours(1));
        readersWaiting.set(false);
        ackOne();
        operator.onResolved();
        assertThat(operator.attempts()).isZero();
        readersWaiting.set(true);
        ackOne();
        operator.onResolved();
        Held sync = held.poll(10, TimeUnit.SECONDS);
        assertThat(sync).isNotNull();
        sync.store(nextId.getAndIncrement());
        assertThat(operator.persistedSyncs()).isEqualTo(1);
    }

    @Test
    void thePeriodicSyncRunsWithoutAnyTrigger() throws Exception {
        newOperator(Duration.ofMillis(5));
        operator.start();
        Held periodic = held.poll(10, TimeUnit.SECONDS);
        assertThat(periodic).isNotNull();
        periodic.store(0);
    }

    @Test
    void aFailedSyncClosesTheBufferSoTailingReadersFallBack() throws Exception {
        newOperator(Duration.ofHours(1));
        ackOne();
        operator.onResolved();
        held.poll(10, TimeUnit.SECONDS).future().completeExceptionally(new WALClosedException("gone"));
        assertThat(buffer.isClosed()).isTrue();
    }

    /** A plain long id. */
    record FakeId(long value) implements MessageId {
        @Override
        public String walName() {
            return "synctest";
        }

        @Override
        public byte[] marshal() {
            return java.nio.ByteBuffer.allocate(8).putLong(value).array();
        }

        @Override
        public int compareTo(MessageId other) {
            return Long.compare(value, ((FakeId) other).value);
        }
    }
}
