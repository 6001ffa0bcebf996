package io.wal4j.impls.memory;

import static io.wal4j.impls.memory.MemoryTestUtils.PATIENCE;
import static io.wal4j.impls.memory.MemoryTestUtils.append;
import static io.wal4j.impls.memory.MemoryTestUtils.failure;
import static io.wal4j.impls.memory.MemoryTestUtils.get;
import static io.wal4j.impls.memory.MemoryTestUtils.message;
import static io.wal4j.impls.memory.MemoryTestUtils.n;
import static io.wal4j.impls.memory.MemoryTestUtils.openRW;
import static io.wal4j.impls.memory.MemoryTestUtils.opener;
import static io.wal4j.impls.memory.MemoryTestUtils.read;
import static io.wal4j.impls.memory.MemoryTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.AccessMode;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryOpenerTest {

    private final MemoryOpenerBuilder builder = new MemoryOpenerBuilder();
    private final OpenerImpls opener = opener(builder);

    @AfterEach
    void closeOpener() {
        opener.close();
    }

    @Test
    void aReadOnlyOpenReturnsAReaderThatIsNotAWriter() {
        try (WALImpls writer = openRW(opener, "c", 1);
             ReadOnlyWALImpls reader = opener.openReadOnly(OpenOption.readOnly("c", 1))) {
            assertThat(reader).isNotInstanceOf(WALImpls.class);
            assertThat(reader.walName()).isEqualTo("memory");
            assertThat(reader.channel()).isEqualTo(PChannelInfo.readOnly("c", 1));
            append(writer, 0);
            try (ScannerImpls scanner = read(reader, "s", DeliverPolicy.all())) {
                assertThat(n(scanner.poll(PATIENCE))).isZero();
                append(writer, 1);
                assertThat(n(scanner.poll(PATIENCE))).isEqualTo(1);
            }
        }
    }

    @Test
    void aReadOnlyOpenAtAnyTermNeitherFailsNorFencesTheWriter() {
        try (WALImpls writer = openRW(opener, "c", 5);
             ReadOnlyWALImpls older = opener.openReadOnly(OpenOption.readOnly("c", 1));
             ReadOnlyWALImpls newer = opener.openReadOnly(OpenOption.readOnly("c", 9))) {
            append(writer, 0);
            assertThat(readAll(older)).hasSize(1);
            assertThat(readAll(newer)).hasSize(1);
        }
        try (WALImpls writer = openRW(opener, "c", 6)) {
            append(writer, 1);
        }
    }

    @Test
    void openReadOnlyOfAReadWriteOptionOpensItReadOnly() {
        try (ReadOnlyWALImpls reader = opener.openReadOnly(OpenOption.readWrite("c", 2))) {
            assertThat(reader).isNotInstanceOf(WALImpls.class);
            assertThat(reader.channel().accessMode()).isEqualTo(AccessMode.READ_ONLY);
        }
    }

    @Test
    void openRejectsAReadOnlyOptionAndNulls() {
        assertThatThrownBy(() -> opener.open(OpenOption.readOnly("c", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c:ro@1");
        assertThatThrownBy(() -> opener.open(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("option");
        assertThatThrownBy(() -> opener.openReadOnly(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("option");
    }

    @Test
    void opensAfterCloseFailWithWALClosedException() {
        opener.close();
        assertThatThrownBy(() -> openRW(opener, "c", 1)).isInstanceOf(WALClosedException.class)
                .hasMessageContaining("default");
        assertThatThrownBy(() -> opener.openReadOnly(OpenOption.readOnly("c", 1)))
                .isInstanceOf(WALClosedException.class);
    }

    @Test
    void closingTheOpenerClosesItsWALsAndTheirScanners() {
        WALImpls writer = openRW(opener, "c", 1);
        ReadOnlyWALImpls reader = opener.openReadOnly(OpenOption.readOnly("c", 1));
        ScannerImpls scanner = read(reader, "s", DeliverPolicy.all());
        opener.close();
        opener.close();
        assertThat(failure(writer.append(message(0), Durability.MEMORY))).isInstanceOf(WALClosedException.class);
        assertThatThrownBy(() -> read(reader, "t", DeliverPolicy.all())).isInstanceOf(WALClosedException.class);
        assertThat(scanner.done()).isCompleted();
        assertThatThrownBy(scanner::take).isInstanceOf(WALClosedException.class);
    }

    @Test
    void closingAnOpenerLeavesTheDataAndOtherOpenersOfTheStoreAlone() {
        try (OpenerImpls other = opener(builder); WALImpls survivor = openRW(other, "d", 1)) {
            try (WALImpls wal = openRW(opener, "c", 1)) {
                append(wal, 0);
            }
            opener.close();
            append(survivor, 1);
            try (WALImpls reopened = openRW(other, "c", 2)) {
                assertThat(readAll(reopened)).extracting(MemoryTestUtils::n).containsExactly(0L);
            }
        }
    }

    @Test
    void concurrentOpensOfThreeChannelsStayIsolated() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CyclicBarrier start = new CyclicBarrier(3);
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                String channel = "test_" + c;
                int base = c * 1000;
                runs.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (long term = 1; term <= 3; term++) {
                        try (WALImpls wal = openRW(opener, channel, term)) {
                            for (int i = 0; i < 50; i++) {
                                append(wal, base + term * 100 + i);
                            }
                        }
                    }
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(PATIENCE.toMillis(),
                    TimeUnit.MILLISECONDS);
            for (int c = 0; c < 3; c++) {
                try (ReadOnlyWALImpls reader = opener.openReadOnly(OpenOption.readOnly("test_" + c, 3))) {
                    int base = c * 1000;
                    assertThat(readAll(reader)).hasSize(150)
                            .allSatisfy(m -> assertThat(n(m) / 1000).isEqualTo(base / 1000));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingAWALRacingWithScannerCreationLeavesNoScannerRunning() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                WALImpls wal = openRW(opener, "c", round + 1);
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<List<ScannerImpls>> created = CompletableFuture.supplyAsync(() -> {
                    List<ScannerImpls> scanners = new ArrayList<>();
                    await(start);
                    try {
                        for (int i = 0; ; i++) {
                            scanners.add(read(wal, "s" + i, DeliverPolicy.all()));
                        }
                    } catch (WALClosedException expected) {
                        return scanners;
                    }
                }, pool);
                CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
                    await(start);
                    wal.close();
                }, pool);
                closed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                for (ScannerImpls scanner : created.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    assertThat(scanner.done()).isCompleted();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anOpenerReportsTheBuildersCapabilitiesWithTheConfiguredSizeLimit() {
        try (OpenerImpls small = builder.build(WALConfig.empty().with("wal.memory.max-message-bytes", "1000"))) {
            Capabilities reported = small.capabilities().orElseThrow();
            assertThat(reported.maxMessageBytes()).isEqualTo(1000);
            assertThat(reported.withMaxMessageBytes(builder.capabilities().maxMessageBytes()))
                    .isEqualTo(builder.capabilities());
        }
        assertThat(opener.capabilities()).contains(builder.capabilities());
    }

    @Test
    void aLimitAboveTheDefaultIsReportedAndEnforcedByTheOpenersWALs() {
        long limit = builder.capabilities().maxMessageBytes() + 1000;
        try (OpenerImpls large = builder.build(WALConfig.empty().with("wal.memory.max-message-bytes",
                Long.toString(limit)));
             WALImpls wal = openRW(large, "c", 1)) {
            assertThat(large.capabilities().orElseThrow().maxMessageBytes()).isEqualTo(limit);
            byte[] overTheDefault = new byte[Math.toIntExact(limit - 100)];
            MessageId stored = get(wal.append(MutableMessage.newBuilder().payload(overTheDefault).build(),
                    Durability.MEMORY));
            assertThat(stored).isEqualTo(MemoryMessageId.of(0));
            Throwable refused = failure(wal.append(MutableMessage.newBuilder().payload(new byte[(int) limit + 1])
                    .build(), Durability.MEMORY));
            assertThat(refused).isInstanceOf(MessageTooLargeException.class);
            assertThat(((MessageTooLargeException) refused).limit()).isEqualTo(limit);
        }
    }
}
