package io.wal4j.metrics.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.TxnMetrics;
import io.wal4j.api.WALMetrics;
import io.wal4j.api.WALMetrics.Details;
import io.wal4j.api.WALMetrics.Percentiles;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.wal4j.metrics.micrometer.WALMeters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class WALMetricsBinderTest {

    private static final PChannelInfo ORDERS = PChannelInfo.readWrite("orders", 7);

    /** Every figure distinct, so a meter reading the wrong one cannot pass. */
    private static WALMetrics sample(PChannelInfo channel) {
        Details details = new Details(new Percentiles(13, 1_000, 2_000, 3_000), new Percentiles(14, 4_000, 5_000, 6_000),
                1, 3, 4096, 17, 123_456, 42, 8, 9);
        return new WALMetrics(channel, 11, 2222, 3, 4, 5, 6_000_000_000L,
                Map.of("audit", 1_500_000_000L, "lock", 250_000_000L), details);
    }

    private static RequiredSearch meter(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(TAG_WAL, "fake", TAG_CHANNEL, "orders", TAG_TERM, "7", TAG_ACCESS, "rw")
                .tags(tags);
    }

    private static List<Meter> wal4jMeters(MeterRegistry registry) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("wal4j.")).toList();
    }

    @Test
    void everyFigureOfTheSnapshotIsPublishedUnderItsMeter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));
        wal.setTxnMetrics(new TxnMetrics(21, 22_000, 23, 24, 25, 26));

        WALMetricsBinder.create(wal).bindTo(registry);

        assertThat(meter(registry, TXN_OPEN).gauge().value()).isEqualTo(21);
        assertThat(meter(registry, TXN_HELD_BYTES).gauge().value()).isEqualTo(22_000);
        assertThat(meter(registry, TXN_ENDED, TAG_OUTCOME, "committed").functionCounter().count()).isEqualTo(23);
        assertThat(meter(registry, TXN_ENDED, TAG_OUTCOME, "rolled-back").functionCounter().count()).isEqualTo(24);
        assertThat(meter(registry, TXN_ENDED, TAG_OUTCOME, "expired").functionCounter().count()).isEqualTo(25);
        assertThat(meter(registry, TXN_TOO_LARGE).functionCounter().count()).isEqualTo(26);
        assertThat(meter(registry, APPENDS).functionCounter().count()).isEqualTo(11);
        assertThat(meter(registry, APPEND_BYTES).functionCounter().count()).isEqualTo(2222);
        assertThat(meter(registry, APPEND_BYTES).functionCounter().getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(meter(registry, APPEND_FAILURES).functionCounter().count()).isEqualTo(3);
        assertThat(meter(registry, APPEND_RETRIES).functionCounter().count()).isEqualTo(5);
        assertThat(meter(registry, BACKEND_TIME).functionCounter().count()).isEqualTo(6.0);
        assertThat(meter(registry, BACKEND_TIME).functionCounter().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(meter(registry, INTERCEPTOR_TIME, TAG_INTERCEPTOR, "audit").functionCounter().count())
                .isEqualTo(1.5);
        assertThat(meter(registry, INTERCEPTOR_TIME, TAG_INTERCEPTOR, "lock").functionCounter().count())
                .isEqualTo(0.25);
        assertThat(meter(registry, SCANNERS_ACTIVE).gauge().value()).isEqualTo(4);
        assertThat(meter(registry, SCANNERS, TAG_MODE, "catch-up").gauge().value()).isEqualTo(1);
        assertThat(meter(registry, SCANNERS, TAG_MODE, "tailing").gauge().value()).isEqualTo(3);
        assertThat(meter(registry, BUFFER_BYTES).gauge().value()).isEqualTo(4096);
        assertThat(meter(registry, BUFFER_ENTRIES).gauge().value()).isEqualTo(17);
        assertThat(meter(registry, TIME_TICK_LAG).timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(42);
        assertThat(meter(registry, TIME_TICK_SYNCS, TAG_PERSISTED, "true").functionCounter().count()).isEqualTo(8);
        assertThat(meter(registry, TIME_TICK_SYNCS, TAG_PERSISTED, "false").functionCounter().count()).isEqualTo(9);

        assertLatency(registry, "interceptor", 13, 1_000, 2_000, 3_000);
        assertLatency(registry, "backend", 14, 4_000, 5_000, 6_000);
        assertThat(wal4jMeters(registry)).hasSize(29);
    }

    private static void assertLatency(MeterRegistry registry, String stage, long count, long p50, long p99, long max) {
        assertThat(meter(registry, LATENCY_COUNT, TAG_STAGE, stage).functionCounter().count()).isEqualTo(count);
        assertThat(meter(registry, LATENCY_PERCENTILE, TAG_STAGE, stage, TAG_PHI, "0.5").timeGauge()
                .value(TimeUnit.NANOSECONDS)).isCloseTo(p50, within(1e-6));
        assertThat(meter(registry, LATENCY_PERCENTILE, TAG_STAGE, stage, TAG_PHI, "0.99").timeGauge()
                .value(TimeUnit.NANOSECONDS)).isCloseTo(p99, within(1e-6));
        assertThat(meter(registry, LATENCY_MAX, TAG_STAGE, stage).timeGauge().value(TimeUnit.NANOSECONDS))
                .isCloseTo(max, within(1e-6));
    }

    @Test
    void metersFollowTheWALsCurrentSnapshot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeWAL wal = new FakeWAL(ORDERS, new WALMetrics(ORDERS, 1, 10, 0, 0));
        WALMetricsBinder.create(wal).bindTo(registry);
        assertThat(meter(registry, APPENDS).functionCounter().count()).isEqualTo(1);
        assertThat(meter(registry, BUFFER_BYTES).gauge().value()).isZero();

        wal.setMetrics(sample(ORDERS));

        assertThat(meter(registry, APPENDS).functionCounter().count()).isEqualTo(11);
        assertThat(meter(registry, SCANNERS_ACTIVE).gauge().value()).isEqualTo(4);
        assertThat(meter(registry, BUFFER_BYTES).gauge().value()).isEqualTo(4096);
    }

    @Test
    void metersCarryTheBackendChannelTermAndExtraTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));

        WALMetricsBinder.create(List.of(wal), Tags.of("app", "billing")).bindTo(registry);

        assertThat(wal4jMeters(registry)).hasSize(29).allSatisfy(m -> assertThat(m.getId().getTags())
                .contains(Tag.of(TAG_WAL, "fake"), Tag.of(TAG_CHANNEL, "orders"), Tag.of(TAG_TERM, "7"),
                        Tag.of(TAG_ACCESS, "rw"), Tag.of("app", "billing")));
    }

    @Test
    void twoTermsOfOneChannelGetSeparateMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PChannelInfo next = PChannelInfo.readWrite("orders", 8);
        FakeWAL old = new FakeWAL(ORDERS, new WALMetrics(ORDERS, 1, 10, 0, 0));
        FakeWAL current = new FakeWAL(next, new WALMetrics(next, 2, 20, 0, 0));

        WALMetricsBinder.create(old, current).bindTo(registry);

        assertThat(registry.get(APPENDS).tags(TAG_TERM, "7").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(APPENDS).tags(TAG_TERM, "8").functionCounter().count()).isEqualTo(2);
        assertThat(wal4jMeters(registry)).hasSize(2 * 27);
    }

    @Test
    void bindingTwiceToOneRegistryRegistersOnceAndStillRemovesOnClose() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));
        WALMetricsBinder binder = WALMetricsBinder.create(wal);

        binder.bindTo(registry);
        binder.bindTo(registry);

        assertThat(wal4jMeters(registry)).hasSize(29);
        wal.close();
        assertThat(wal4jMeters(registry)).isEmpty();
    }

    @Test
    void theSameWALPublishedTwiceUnderTheSameTagsIsRefused() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));
        FakeWAL twin = new FakeWAL(ORDERS, sample(ORDERS));
        WALMetricsBinder.create(wal).bindTo(registry);

        assertThatThrownBy(() -> WALMetricsBinder.create(twin).bindTo(registry))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orders:rw@7");
        WALMetricsBinder.create(List.of(twin), Tags.of("copy", "2")).bindTo(registry);

        assertThat(wal4jMeters(registry)).hasSize(2 * 29);
        wal.close();
        assertThat(wal4jMeters(registry)).hasSize(29)
                .allSatisfy(m -> assertThat(m.getId().getTag("copy")).isEqualTo("2"));
    }

    @Test
    void closingAWALRemovesItsMetersFromEveryRegistry() {
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        PChannelInfo other = PChannelInfo.readWrite("payments", 1);
        FakeWAL closing = new FakeWAL(ORDERS, sample(ORDERS));
        FakeWAL staying = new FakeWAL(other, new WALMetrics(other, 0, 0, 0, 0));
        WALMetricsBinder binder = WALMetricsBinder.create(closing, staying);
        binder.bindTo(first);
        binder.bindTo(second);

        closing.close();

        for (MeterRegistry registry : List.of(first, second)) {
            assertThat(registry.find(APPENDS).tag(TAG_CHANNEL, "orders").meters()).isEmpty();
            assertThat(wal4jMeters(registry)).hasSize(27)
                    .allSatisfy(m -> assertThat(m.getId().getTag(TAG_CHANNEL)).isEqualTo("payments"));
        }
    }

    @Test
    void aFencedWALLosesItsMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));
        WALMetricsBinder.create(wal).bindTo(registry);

        wal.fence(new ChannelFencedException("orders", 7, "a writer opened term 8"));

        assertThat(wal4jMeters(registry)).isEmpty();
    }

    @Test
    void aWALClosedBeforeBindingGetsNoMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));
        WALMetricsBinder binder = WALMetricsBinder.create(wal);
        wal.close();

        binder.bindTo(registry);

        assertThat(wal4jMeters(registry)).isEmpty();
    }

    @Test
    void closingTheBinderRemovesItsMetersAndLaterBindsRegisterNothing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SimpleMeterRegistry later = new SimpleMeterRegistry();
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));
        WALMetricsBinder binder = WALMetricsBinder.create(wal);
        binder.bindTo(registry);
        assertThat(wal4jMeters(registry)).hasSize(29);

        binder.close();
        binder.close();
        binder.bindTo(later);

        assertThat(wal4jMeters(registry)).isEmpty();
        assertThat(wal4jMeters(later)).isEmpty();
        assertThat(wal.isAvailable()).isTrue();
    }

    @Test
    void neitherTheBinderNorTheRegistryKeepsAWALReachable() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<WALMetricsBinder> binder = new ArrayList<>();
        WeakReference<FakeWAL> probe = bindAndForget(registry, binder);
        assertThat(meter(registry, APPENDS).functionCounter().count()).isEqualTo(11);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            System.gc();
            return probe.get() == null;
        });

        assertThat(binder.get(0).reachableWALs()).isZero();
        assertThat(meter(registry, SCANNERS_ACTIVE).gauge().value()).isNaN();
        assertThat(meter(registry, APPENDS).functionCounter().count()).as("a counter keeps its last value")
                .isEqualTo(11);
    }

    private static WeakReference<FakeWAL> bindAndForget(MeterRegistry registry, List<WALMetricsBinder> keep) {
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));
        WALMetricsBinder binder = WALMetricsBinder.create(wal);
        binder.bindTo(registry);
        keep.add(binder);
        assertThat(binder.reachableWALs()).isEqualTo(1);
        return new WeakReference<>(wal);
    }

    @Test
    void badArgumentsAreRefusedByName() {
        FakeWAL wal = new FakeWAL(ORDERS, sample(ORDERS));
        assertThatThrownBy(() -> WALMetricsBinder.create((ReadOnlyWAL[]) null))
                .isInstanceOf(NullPointerException.class).hasMessage("wals");
        assertThatThrownBy(() -> WALMetricsBinder.create(wal, null))
                .isInstanceOf(NullPointerException.class).hasMessage("wals[1]");
        assertThatThrownBy(() -> WALMetricsBinder.create(List.of(wal), null))
                .isInstanceOf(NullPointerException.class).hasMessage("extraTags");
        assertThatThrownBy(() -> WALMetricsBinder.create(wal).bindTo(null))
                .isInstanceOf(NullPointerException.class).hasMessage("registry");
        assertThatThrownBy(() -> WALMetricsBinder.create(List.of(wal), Tags.of("channel", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"channel\"");
    }

    @Test
    void walsClosingWhileBindingLeaveNoMetersBehind() throws Exception {
        int walCount = 64;
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < rounds; round++) {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                List<FakeWAL> wals = new ArrayList<>();
                for (int i = 0; i < walCount; i++) {
                    PChannelInfo channel = PChannelInfo.readWrite("c" + i, round);
                    wals.add(new FakeWAL(channel, new WALMetrics(channel, i, i, 0, 0)));
                }
                WALMetricsBinder binder = WALMetricsBinder.create(wals, Tags.empty());
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> tasks = new ArrayList<>();
                tasks.add(pool.submit(() -> {
                    start.await();
                    binder.bindTo(registry);
                    return null;
                }));
                for (int t = 0; t < 2; t++) {
                    int half = t;
                    tasks.add(pool.submit(() -> {
                        start.await();
                        for (int i = half; i < walCount; i += 2) {
                            wals.get(i).close();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> task : tasks) {
                    task.get(10, TimeUnit.SECONDS);
                }

                assertThat(wal4jMeters(registry)).as("round %d", round).isEmpty();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closingTheBinderWhileItBindsLeavesNoMetersBehind() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                List<FakeWAL> wals = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    PChannelInfo channel = PChannelInfo.readWrite("c" + i, 1);
                    wals.add(new FakeWAL(channel, new WALMetrics(channel, i, i, 0, 0)));
                }
                WALMetricsBinder binder = WALMetricsBinder.create(wals, Tags.empty());
                CountDownLatch start = new CountDownLatch(1);
                Future<?> binding = pool.submit(() -> {
                    start.await();
                    binder.bindTo(registry);
                    return null;
                });
                Future<?> closing = pool.submit(() -> {
                    start.await();
                    binder.close();
                    return null;
                });
                start.countDown();
                binding.get(10, TimeUnit.SECONDS);
                closing.get(10, TimeUnit.SECONDS);

                assertThat(wal4jMeters(registry)).as("round %d", round).isEmpty();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
