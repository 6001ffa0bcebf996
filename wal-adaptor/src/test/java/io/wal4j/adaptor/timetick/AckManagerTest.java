package io.wal4j.adaptor.timetick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AckManagerTest {

    private final AtomicLong wall = new AtomicLong(1_000);
    private final AtomicLong nextId = new AtomicLong(1);

    private AckManager newManager() {
        return new AckManager(new HybridLogicalClock(wall::get), 1L << HybridLogicalClock.LOGICAL_BITS,
                new LongId(0));
    }

    private ImmutableMessage store(Acker acker) {
        return MutableMessage.newBuilder().build().withTimeTick(acker.timeTick()).toImmutable(
                new LongId(nextId.getAndIncrement()));
    }

    @Test
    void ticksIncreaseAndCarryTheResumePointOfTheirAllocation() {
        AckManager manager = newManager();
        Acker first = manager.allocate();
        Acker second = manager.allocate();
        assertThat(second.timeTick()).isGreaterThan(first.timeTick());
        assertThat(first.lastConfirmedId()).isEqualTo(new LongId(0));
        manager.ack(first, store(first));
        manager.ack(second, store(second));
        assertThat(manager.lastConfirmedId()).isEqualTo(new LongId(2));
        assertThat(manager.allocate().lastConfirmedId()).isEqualTo(new LongId(2));
    }

    @Test
    void anEarlierInFlightAppendHoldsBackBothWatermarks() {
        AckManager manager = newManager();
        Acker slow = manager.allocate();
        Acker fast = manager.allocate();
        manager.ack(fast, store(fast));
        assertThat(manager.lastConfirmedTimeTick()).isLessThan(slow.timeTick());
        assertThat(manager.lastConfirmedId()).isEqualTo(new LongId(0));
        assertThat(manager.sync()).isEmpty();
        manager.ack(slow, store(slow));
        assertThat(manager.lastConfirmedTimeTick()).isGreaterThanOrEqualTo(fast.timeTick());
    }

    @Test
    void syncReturnsTheAcknowledgedMessagesInTickOrderOnce() {
        AckManager manager = newManager();
        Acker a = manager.allocate();
        Acker b = manager.allocate();
        Acker failed = manager.allocate();
        manager.ack(b, store(b));
        manager.fail(failed);
        manager.ack(a, store(a));
        SyncPoint point = manager.sync().orElseThrow();
        assertThat(point.acknowledged()).extracting(ImmutableMessage::timeTick)
                .containsExactly(a.timeTick(), b.timeTick());
        assertThat(point.timeTick()).isGreaterThan(failed.timeTick());
        assertThat(point.hasData()).isTrue();
        assertThat(manager.hasUnsyncedAcks()).isFalse();
        SyncPoint empty = manager.sync().orElseThrow();
        assertThat(empty.hasData()).isFalse();
        assertThat(empty.timeTick()).isGreaterThan(point.timeTick());
    }

    @Test
    void aSyncTickIsPublishedWhileAppendsAllocatedAfterItAreStillInFlight() {
        AckManager manager = newManager();
        Acker early = manager.allocate();
        assertThat(manager.sync()).isEmpty();
        Acker late = manager.allocate();
        manager.ack(early, store(early));
        SyncPoint point = manager.sync().orElseThrow();
        assertThat(point.timeTick()).isGreaterThan(early.timeTick()).isLessThan(late.timeTick());
        assertThat(point.acknowledged()).extracting(ImmutableMessage::timeTick).containsExactly(early.timeTick());
        manager.ack(late, store(late));
        assertThat(manager.hasUnsyncedAcks()).isTrue();
        SyncPoint next = manager.sync().orElseThrow();
        assertThat(next.acknowledged()).extracting(ImmutableMessage::timeTick).containsExactly(late.timeTick());
    }

    @Test
    void theConfirmedIdNeverPassesItsLimitAndCatchesUpWhenTheLimitIsLifted() {
        AckManager manager = newManager();
        AtomicLong bound = new AtomicLong(1);
        manager.setConfirmedIdLimit(() -> bound.get() < 0 ? java.util.Optional.empty()
                : java.util.Optional.of(new LongId(bound.get())));
        for (int i = 0; i < 3; i++) {
            Acker acker = manager.allocate();
            manager.ack(acker, store(acker));
        }
        assertThat(manager.lastConfirmedId()).isEqualTo(new LongId(1));
        bound.set(-1);
        manager.recheckConfirmedIdLimit();
        assertThat(manager.lastConfirmedId()).isEqualTo(new LongId(3));
    }

    @Test
    void resolvingTwiceIsABug() {
        AckManager manager = newManager();
        Acker acker = manager.allocate();
        manager.fail(acker);
        assertThatThrownBy(() -> manager.ack(acker, store(acker))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAllocatorThatGoesBackwardsIsDetected() {
        TimestampAllocator broken = new TimestampAllocator() {
            @Override
            public long allocate() {
                return 5;
            }

            @Override
            public void observe(long timeTick) {
            }
        };
        AckManager manager = new AckManager(broken, 10, new LongId(0));
        assertThatThrownBy(manager::allocate).isInstanceOf(IllegalStateException.class).hasMessageContaining("5");
    }

    /**
     * Model check: random interleavings of allocations, completions in random order (ids assigned in completion
     * order, as a backend does), failures and syncs. Afterwards every message's resume point must cover every
     * message with a tick at least its own, and every acknowledged message must appear in exactly one sync.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void resumePointsNeverSkipAMessageWithALargerTick(long seed) {
        Random random = new Random(seed);
        AckManager manager = newManager();
        List<Acker> inFlight = new ArrayList<>();
        Map<Long, long[]> stored = new HashMap<>();
        List<SyncPoint> syncs = new ArrayList<>();
        for (int step = 0; step < 2_000; step++) {
            int action = random.nextInt(10);
            if (action < 4) {
                inFlight.add(manager.allocate());
            } else if (action < 8 && !inFlight.isEmpty()) {
                Acker acker = inFlight.remove(random.nextInt(inFlight.size()));
                if (random.nextInt(8) == 0) {
                    manager.fail(acker);
                } else {
                    ImmutableMessage message = store(acker);
                    stored.put(acker.timeTick(), new long[] {((LongId) message.id()).value(),
                            ((LongId) acker.lastConfirmedId()).value()});
                    manager.ack(acker, message);
                }
            } else if (action == 8) {
                manager.sync().ifPresent(syncs::add);
            } else {
                wall.addAndGet(random.nextInt(3) - 1);
            }
        }
        for (Acker acker : inFlight) {
            ImmutableMessage message = store(acker);
            stored.put(acker.timeTick(), new long[] {((LongId) message.id()).value(),
                    ((LongId) acker.lastConfirmedId()).value()});
            manager.ack(acker, message);
        }
        // Every append is resolved now: a pending sync tick publishes, and a fresh one carries what came after it.
        while (manager.hasUnsyncedAcks()) {
            syncs.add(manager.sync().orElseThrow());
        }

        stored.forEach((tick, idAndResume) -> stored.forEach((otherTick, other) -> {
            if (otherTick >= tick) {
                assertThat(other[0]).as("message at tick %d vs resume point of tick %d", otherTick, tick)
                        .isGreaterThanOrEqualTo(idAndResume[1]);
            }
        }));
        List<Long> synced = new ArrayList<>();
        long previousSync = Long.MIN_VALUE;
        for (SyncPoint sync : syncs) {
            assertThat(sync.timeTick()).isGreaterThan(previousSync);
            for (ImmutableMessage message : sync.acknowledged()) {
                assertThat(message.timeTick()).isGreaterThan(previousSync).isLessThan(sync.timeTick());
                synced.add(message.timeTick());
            }
            assertThat(sync.acknowledged()).extracting(ImmutableMessage::timeTick).isSorted();
            previousSync = sync.timeTick();
        }
        assertThat(synced).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stored.keySet());
        assertThat(manager.lastConfirmedId()).isEqualTo(new LongId(nextId.get() - 1));
    }

    /** A plain long id for these tests. */
    record LongId(long value) implements MessageId {
        @Override
        public String walName() {
            return "acktest";
        }

        @Override
        public byte[] marshal() {
            return java.nio.ByteBuffer.allocate(8).putLong(value).array();
        }

        @Override
        public int compareTo(MessageId other) {
            return Long.compare(value, ((LongId) other).value);
        }
    }
}
