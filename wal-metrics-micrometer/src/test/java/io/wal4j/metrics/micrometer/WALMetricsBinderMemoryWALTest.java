package io.wal4j.metrics.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wal4j.adaptor.WALRegistry;
import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.interceptor.Interceptor;
import io.wal4j.api.AppendResult;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.Txn;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import io.wal4j.spi.registry.WALImplsRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.wal4j.metrics.micrometer.WALMeters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The binder over real WALs of the memory backend, found by name through {@link WALRegistry}. */
class WALMetricsBinderMemoryWALTest {

    private static final int PAYLOAD_BYTES = 100;

    /** A pass-through interceptor with a fixed name, so its timer can be found. */
    private static final class Audit implements Interceptor {
        @Override
        public CompletableFuture<AppendOutcome> doAppend(AppendContext ctx, MutableMessage message, AppendNext next) {
            return next.append(ctx, message);
        }

        @Override
        public String name() {
            return "audit";
        }
    }

    /** A store of its own per test: the registry's memory builder is shared by the whole JVM. */
    private final String store = "metrics-" + UUID.randomUUID();

    private Opener open(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        config.put(MemoryOpenerBuilder.STORE.name(), store);
        return WALRegistry.builder(MemoryOpenerBuilder.NAME, p -> new Audit()).build(WALConfig.of(config));
    }

    private static MutableMessage message(int size) {
        return MutableMessage.newBuilder().payload(new byte[size]).property("k", "v").build();
    }

    private static double count(MeterRegistry registry, String name, String channel, String... tags) {
        return registry.get(name).tags(TAG_WAL, MemoryOpenerBuilder.NAME, TAG_CHANNEL, channel).tags(tags)
                .functionCounter().count();
    }

    private static List<Meter> wal4jMeters(MeterRegistry registry) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("wal4j.")).toList();
    }

    @Test
    void appendsBytesFailuresAndTimesOfARealWALArePublished() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Opener opener = open(Map.of(MemoryOpenerBuilder.MAX_MESSAGE_BYTES.name(), "1KiB"));
             WAL wal = opener.open(OpenOption.readWrite("orders", 3))) {
            WALMetricsBinder.create(wal).bindTo(registry);
            assertThat(count(registry, APPENDS, "orders", TAG_TERM, "3")).isZero();

            List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                appends.add(wal.appendAsync(message(PAYLOAD_BYTES)));
            }
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> wal.append(message(2048))).isInstanceOf(MessageTooLargeException.class);

            assertThat(count(registry, APPENDS, "orders")).isEqualTo(50);
            assertThat(count(registry, APPEND_BYTES, "orders")).isEqualTo(wal.metrics().appendBytes())
                    .isGreaterThanOrEqualTo(50 * PAYLOAD_BYTES);
            assertThat(count(registry, APPEND_FAILURES, "orders")).isEqualTo(1);
            assertThat(count(registry, APPEND_RETRIES, "orders")).isZero();
            assertThat(count(registry, BACKEND_TIME, "orders")).isPositive()
                    .isCloseTo(wal.metrics().backendAppendNanos() / 1e9, within(1e-12));
            assertThat(count(registry, INTERCEPTOR_TIME, "orders", TAG_INTERCEPTOR, "audit")).isPositive()
                    .isCloseTo(wal.metrics().interceptorNanos().get("audit") / 1e9, within(1e-12));
        }
    }

    @Test
    void theDetailsOfARealWALArePublished() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Opener opener = open(Map.of());
             WAL wal = opener.open(OpenOption.readWrite("orders", 1))) {
            WALMetricsBinder.create(wal).bindTo(registry);
            for (int i = 0; i < 20; i++) {
                wal.append(message(PAYLOAD_BYTES));
            }

            assertThat(count(registry, LATENCY_COUNT, "orders", TAG_STAGE, "backend")).isGreaterThanOrEqualTo(20);
            assertThat(count(registry, LATENCY_COUNT, "orders", TAG_STAGE, "interceptor")).isGreaterThanOrEqualTo(20);
            assertThat(registry.get(LATENCY_MAX).tag(TAG_STAGE, "backend").timeGauge().value(TimeUnit.NANOSECONDS))
                    .isPositive();
            // With no scanner open, the acknowledged appends reach the buffer with the next periodic sync.
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(BUFFER_ENTRIES).gauge().value() >= 20);
            assertThat(registry.get(BUFFER_BYTES).gauge().value()).isGreaterThanOrEqualTo(20 * PAYLOAD_BYTES);
            await().atMost(Duration.ofSeconds(10)).until(() -> count(registry, TIME_TICK_SYNCS, "orders",
                    TAG_PERSISTED, "true") + count(registry, TIME_TICK_SYNCS, "orders", TAG_PERSISTED, "false") >= 1);
            try (Scanner scanner = wal.read(ReadOption.all())) {
                assertThat(scanner.take()).isNotNull();
                await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(SCANNERS).tag(TAG_MODE, "catch-up")
                        .gauge().value() + registry.get(SCANNERS).tag(TAG_MODE, "tailing").gauge().value() == 1);
            }
        }
    }

    @Test
    void transactionsOfARealWALArePublished() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Opener opener = open(Map.of());
             WAL wal = opener.open(OpenOption.readWrite("orders", 1))) {
            WALMetricsBinder.create(wal).bindTo(registry);
            Txn txn = wal.beginTxn("v1", Duration.ofMinutes(1));
            txn.append(MutableMessage.newBuilder().payload(new byte[10]).vchannel("v1").build());
            assertThat(registry.get(TXN_OPEN).gauge().value()).isEqualTo(1);

            txn.commit();
            assertThat(registry.get(TXN_OPEN).gauge().value()).isZero();
            try (Scanner scanner = wal.read(ReadOption.all())) {
                // The scanner belongs to one consuming thread: poll it from the test thread.
                await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> {
                    scanner.poll(Duration.ofMillis(10));
                    return registry.get(TXN_ENDED).tag(TAG_OUTCOME, "committed").functionCounter().count() == 1;
                });
            }
        }
    }

    @Test
    void theScannerGaugeCountsOpenScanners() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Opener opener = open(Map.of());
             WAL wal = opener.open(OpenOption.readWrite("orders", 1))) {
            WALMetricsBinder.create(wal).bindTo(registry);
            wal.append(message(10));

            try (Scanner first = wal.read(ReadOption.all())) {
                assertThat(first.take()).isNotNull();
                try (Scanner second = wal.read(ReadOption.all())) {
                    assertThat(second.take()).isNotNull();
                    assertThat(registry.get(SCANNERS_ACTIVE).gauge().value()).isEqualTo(2);
                }
                assertThat(registry.get(SCANNERS_ACTIVE).gauge().value()).isEqualTo(1);
            }
            assertThat(registry.get(SCANNERS_ACTIVE).gauge().value()).isZero();
        }
    }

    @Test
    void retriesOfAFailingBackendAreCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Opener opener = open(Map.of("wal.adaptor.append-retry-initial", "1ms",
                "wal.adaptor.append-retry-max", "5ms"));
             WAL wal = opener.open(OpenOption.readWrite("orders", 1))) {
            WALMetricsBinder.create(wal).bindTo(registry);
            wal.append(message(10));
            // After the crash every backend append of this WAL fails with WALStorageException, which is retried.
            ((MemoryOpenerBuilder) WALImplsRegistry.mustGet(MemoryOpenerBuilder.NAME)).store(store).simulateCrash();

            CompletableFuture<AppendResult> doomed = wal.appendAsync(message(10), Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> count(registry, APPEND_RETRIES, "orders") >= 3);
            doomed.cancel(false);

            await().atMost(Duration.ofSeconds(10)).until(() -> count(registry, APPEND_FAILURES, "orders") == 1);
            assertThat(count(registry, APPENDS, "orders")).isEqualTo(1);
        }
    }

    @Test
    void closingARealWALRemovesItsMetersButKeepsTheOthers() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Opener opener = open(Map.of())) {
            WAL writer = opener.open(OpenOption.readWrite("orders", 2));
            writer.append(message(10));
            ReadOnlyWAL reader = opener.openReadOnly(OpenOption.readOnly("orders", 2));
            WALMetricsBinder.create(writer, reader).bindTo(registry);
            assertThat(count(registry, APPENDS, "orders", TAG_ACCESS, "rw")).isEqualTo(1);
            assertThat(count(registry, APPENDS, "orders", TAG_ACCESS, "ro")).isZero();

            writer.close();

            assertThat(registry.find(APPENDS).tag(TAG_CHANNEL, "orders").functionCounters())
                    .singleElement().satisfies(c -> assertThat(c.getId().getTag(TAG_ACCESS)).isEqualTo("ro"));
            reader.close();
            assertThat(wal4jMeters(registry)).isEmpty();
        }
    }

    @Test
    void twoReadersOfOneChannelNeedDistinguishingTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Opener opener = open(Map.of());
             WAL writer = opener.open(OpenOption.readWrite("orders", 1));
             ReadOnlyWAL second = opener.openReadOnly(OpenOption.readOnly("orders", 1))) {
            writer.append(message(10));
            try (ReadOnlyWAL first = opener.openReadOnly(OpenOption.readOnly("orders", 1))) {
                WALMetricsBinder.create(first).bindTo(registry);

                assertThatThrownBy(() -> WALMetricsBinder.create(second).bindTo(registry))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orders");
                assertThatThrownBy(() -> WALMetricsBinder.create(writer, first, second)
                        .bindTo(new SimpleMeterRegistry()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orders:ro@1");

                WALMetricsBinder.create(List.of(second), Tags.of("reader", "second")).bindTo(registry);
                assertThat(registry.find(APPENDS).tag(TAG_ACCESS, "ro").functionCounters()).hasSize(2);
            }
            assertThat(registry.find(APPENDS).tag(TAG_ACCESS, "ro").functionCounters()).singleElement()
                    .satisfies(c -> assertThat(c.getId().getTag("reader")).isEqualTo("second"));
        }
    }

    @Test
    void closingTheOpenerRemovesTheMetersOfEveryWALItOpened() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Opener opener = open(Map.of());
        try (opener) {
            WAL a = opener.open(OpenOption.readWrite("a", 1));
            WAL b = opener.open(OpenOption.readWrite("b", 1));
            WALMetricsBinder.create(a, b).bindTo(registry);
            assertThat(wal4jMeters(registry)).isNotEmpty();
        }
        assertThat(wal4jMeters(registry)).isEmpty();
    }
}
