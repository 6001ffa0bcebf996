package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.AppendResult;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Catch-up ↔ tailing scanners over the memory backend, with time ticks on. */
class TailingScannerTest {

    private Opener opener;

    private WAL open(Map<String, String> extra) {
        Map<String, String> config = new java.util.HashMap<>(AdaptorTestUtils.timeTicks().asMap());
        config.put(MemoryOpenerBuilder.STORE.name(), "tailing-" + UUID.randomUUID());
        config.putAll(extra);
        opener = WALRegistry.builder(MemoryOpenerBuilder.NAME).build(WALConfig.of(config));
        return opener.open(OpenOption.readWrite("tail", 1));
    }

    @AfterEach
    void close() {
        if (opener != null) {
            opener.close();
        }
    }

    /** Reads until the scanner has delivered {@code count} data messages; checks strictly increasing ticks. */
    private static List<ImmutableMessage> readData(Scanner scanner, int count) {
        List<ImmutableMessage> data = new ArrayList<>();
        long lastTick = Long.MIN_VALUE;
        while (data.size() < count) {
            ImmutableMessage m = scanner.poll(Duration.ofSeconds(10));
            assertThat(m).as("message %d of %d", data.size(), count).isNotNull();
            assertThat(m.timeTick()).isGreaterThan(lastTick);
            lastTick = m.timeTick();
            if (!m.messageType().equals(MessageType.TIME_TICK)) {
                data.add(m);
            }
        }
        return data;
    }

    @Test
    void aScannerCatchesUpFromTheBackendThenTailsTheBuffer() {
        WAL wal = open(Map.of());
        List<MessageId> written = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            written.add(wal.append(AdaptorTestUtils.message("old" + i)).messageId());
        }
        try (Scanner scanner = wal.read(ReadOption.all())) {
            assertThat(readData(scanner, 20)).extracting(ImmutableMessage::id).containsExactlyElementsOf(written);
            assertThat(wal.metrics().details().tailingScanners()).isEqualTo(1);
            assertThat(wal.metrics().details().catchUpScanners()).isZero();
            for (int i = 0; i < 20; i++) {
                written.add(wal.append(AdaptorTestUtils.message("new" + i)).messageId());
            }
            assertThat(readData(scanner, 20)).extracting(ImmutableMessage::id)
                    .containsExactlyElementsOf(written.subList(20, 40));
            assertThat(wal.metrics().details().tailingScanners()).isEqualTo(1);
        }
        assertThat(wal.metrics().details().tailingScanners()).isZero();
    }

    @Test
    void aTailingScannerThatIsEvictedFallsBackWithoutLossOrDuplicates() throws Exception {
        // A one-byte buffer keeps only its last entry: every batch of data evicts a tailing reader at once.
        WAL wal = open(Map.of(AdaptorConfig.BUFFER_BYTES.name(), "1"));
        WALAdaptor adaptor = (WALAdaptor) wal;
        int writers = 16;
        int perWriter = 100;
        try (Scanner scanner = wal.read(ReadOption.all())) {
            // The buffer holds just its last time tick: reading that one from the backend meets the buffer.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                ImmutableMessage tick = scanner.poll(Duration.ofMillis(10));
                assertThat(tick == null || tick.messageType().equals(MessageType.TIME_TICK)).isTrue();
                return wal.metrics().details().tailingScanners() == 1;
            });
            CompletableFuture<List<ImmutableMessage>> reader =
                    CompletableFuture.supplyAsync(() -> readData(scanner, writers * perWriter));
            List<CompletableFuture<AppendResult>> appends =
                    java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perWriter; i++) {
                        appends.add(wal.appendAsync(AdaptorTestUtils.message(writer + "-" + i)));
                    }
                }, "test-writer-" + w);
                threads.add(t);
                t.start();
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            List<ImmutableMessage> read = reader.get(30, TimeUnit.SECONDS);
            Set<MessageId> acknowledged = new HashSet<>();
            appends.forEach(f -> acknowledged.add(f.join().messageId()));
            assertThat(read).extracting(ImmutableMessage::id).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(read).extracting(ImmutableMessage::timeTick).isSorted().doesNotHaveDuplicates();
            assertThat(adaptor.scanModes().switches()).as("catch-up/tailing switches").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void withTheBufferDisabledScannersStayInCatchUp() {
        WAL wal = open(Map.of(AdaptorConfig.BUFFER_BYTES.name(), "0"));
        try (Scanner scanner = wal.read(ReadOption.all())) {
            wal.append(AdaptorTestUtils.message("a"));
            assertThat(readData(scanner, 1)).hasSize(1);
            assertThat(wal.metrics().details().catchUpScanners()).isEqualTo(1);
            assertThat(wal.metrics().details().tailingScanners()).isZero();
            assertThat(wal.metrics().details().bufferEntries()).isZero();
        }
    }

    @Test
    void aThousandTailingScannersShareNoThreadPerScanner() {
        WAL wal = open(Map.of());
        int before = Thread.activeCount();
        List<Scanner> scanners = new ArrayList<>();
        try {
            for (int i = 0; i < 1_000; i++) {
                Scanner scanner = wal.read(ReadOption.all());
                scanners.add(scanner);
                // The first message is the time tick written at open; reading it lets the scanner meet the buffer.
                assertThat(scanner.poll(Duration.ofSeconds(10)).messageType()).isEqualTo(MessageType.TIME_TICK);
            }
            assertThat(wal.metrics().details().tailingScanners()).isEqualTo(1_000);
            assertThat(Thread.activeCount() - before).as("threads started for 1,000 scanners").isLessThan(20);
            MessageId id = wal.append(AdaptorTestUtils.message("to all")).messageId();
            for (Scanner scanner : scanners) {
                assertThat(AdaptorTestUtils.pollData(scanner, Duration.ofSeconds(10)).id()).isEqualTo(id);
            }
        } finally {
            scanners.forEach(Scanner::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> wal.metrics().activeScanners() == 0);
    }
}
