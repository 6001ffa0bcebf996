package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.AppendResult;
import io.wal4j.api.InvalidTransactionStateException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.TransactionExpiredException;
import io.wal4j.api.Txn;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.ImmutableTxnMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Transactions end to end over the memory backend: write-side rules, read-side assembly, close and crash. */
class TxnWALTest {

    private final String store = "txn-" + UUID.randomUUID();
    private final List<Opener> openers = new ArrayList<>();

    private Opener opener(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(AdaptorTestUtils.timeTicks().asMap());
        config.put(MemoryOpenerBuilder.STORE.name(), store);
        config.put(AdaptorConfig.TIMETICK_SYNC_INTERVAL.name(), "5ms");
        config.putAll(extra);
        Opener opener = WALRegistry.builder(MemoryOpenerBuilder.NAME).build(WALConfig.of(config));
        openers.add(opener);
        return opener;
    }

    @AfterEach
    void close() {
        openers.forEach(Opener::close);
    }

    private static MutableMessage data(String vchannel, String payload) {
        return MutableMessage.newBuilder().vchannel(vchannel).payload(payload.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** Reads until the plain message whose payload is {@code marker}; returns every non-time-tick message before it. */
    private static List<ImmutableMessage> readUntil(Scanner scanner, String marker) {
        List<ImmutableMessage> seen = new ArrayList<>();
        long lastTick = 0;
        while (true) {
            ImmutableMessage m = scanner.poll(Duration.ofSeconds(10));
            assertThat(m).as("a message before the marker " + marker).isNotNull();
            assertThat(m.timeTick()).as("strictly increasing time ticks").isGreaterThan(lastTick);
            lastTick = m.timeTick();
            if (m.messageType().equals(MessageType.TIME_TICK)) {
                continue;
            }
            if (!(m instanceof ImmutableTxnMessage) && AdaptorTestUtils.text(m.payload()).equals(marker)) {
                return seen;
            }
            seen.add(m);
        }
    }

    @Test
    void aCommittedTransactionArrivesAsOneMessageAtTheCommitsTickWithEveryBodyCarryingIt() {
        WAL wal = opener(Map.of()).open(OpenOption.readWrite("commit", 1));
        Txn txn = wal.beginTxn("v1", Duration.ofSeconds(10));
        assertThat(txn.beginResult().txnContext()).contains(txn.context());
        AppendResult b1 = txn.append(data("", "b1"));
        AppendResult b2 = txn.append(data("v1", "b2"));
        assertThat(b1.txnContext()).contains(txn.context());
        AppendResult commit = txn.commit(Map.of("k", "v"));
        assertThat(commit.timeTick()).isGreaterThan(b2.timeTick());
        wal.append(data("v1", "end"));
        try (Scanner scanner = wal.read(ReadOption.all())) {
            List<ImmutableMessage> seen = readUntil(scanner, "end");
            assertThat(seen).hasSize(1);
            ImmutableTxnMessage whole = (ImmutableTxnMessage) seen.get(0);
            assertThat(whole.size()).isEqualTo(2);
            assertThat(whole.timeTick()).isEqualTo(commit.timeTick());
            assertThat(whole.id()).isEqualTo(commit.messageId());
            assertThat(whole.property("k")).isEqualTo("v");
            assertThat(whole.bodies()).extracting(m -> AdaptorTestUtils.text(m.payload())).containsExactly("b1", "b2");
            assertThat(whole.bodies()).allSatisfy(b -> {
                assertThat(b.timeTick()).isEqualTo(commit.timeTick());
                assertThat(b.vchannel()).isEqualTo("v1");
            });
            assertThat(whole.begin().messageType()).isEqualTo(MessageType.BEGIN_TXN);
        }
    }

    @Test
    void rolledBackAndExpiredTransactionsAreNeverDeliveredWhilePlainMessagesAroundThemAre() {
        WAL wal = opener(Map.of()).open(OpenOption.readWrite("rollback", 1));
        Txn rolledBack = wal.beginTxn("v1", Duration.ofSeconds(10));
        rolledBack.append(data("v1", "never-1"));
        wal.append(data("v1", "plain-1"));
        rolledBack.rollback();
        Txn expiring = wal.beginTxn("v1", Duration.ofMillis(20));
        expiring.append(data("v1", "never-2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> wal instanceof WALAdaptor a
                && a.txnManager().openCount() == 0);
        wal.append(data("v1", "plain-2"));
        wal.append(data("v1", "end"));
        try (Scanner scanner = wal.read(ReadOption.all())) {
            assertThat(readUntil(scanner, "end")).extracting(m -> AdaptorTestUtils.text(m.payload()))
                    .containsExactly("plain-1", "plain-2");
        }
        assertThat(wal.txnMetrics().rolledBack()).isEqualTo(1);
        assertThat(wal.txnMetrics().heldBytes()).isZero();
        assertThat(wal.txnMetrics().open()).isZero();
    }

    @Test
    void anExpiredTransactionRefusesBodiesAndItsCommitWithTransactionExpired() {
        WAL wal = opener(Map.of()).open(OpenOption.readWrite("expired", 1));
        Txn txn = wal.beginTxn("v1", Duration.ofMillis(10));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> txn.append(data("v1", "late"))).isInstanceOf(TransactionExpiredException.class)
                        .satisfies(e -> assertThat(((TransactionExpiredException) e).txnId())
                                .isEqualTo(txn.context().txnId())));
        assertThatThrownBy(txn::commit).isInstanceOf(TransactionExpiredException.class);
    }

    @Test
    void afterACommitABodyOrASecondCommitFailsWithInvalidStateAndAfterRollbackTheCommitToo() {
        WAL wal = opener(Map.of(AdaptorConfig.TIMETICK_SYNC_INTERVAL.name(), "1h")).open(
                OpenOption.readWrite("states", 1));
        Txn txn = wal.beginTxn("v1", Duration.ofSeconds(30));
        txn.commit();
        assertThatThrownBy(() -> txn.append(data("v1", "late"))).isInstanceOf(InvalidTransactionStateException.class)
                .hasMessageContaining("COMMITTED");
        assertThatThrownBy(txn::commit).isInstanceOf(InvalidTransactionStateException.class);
        Txn other = wal.beginTxn("v1", Duration.ofSeconds(30));
        other.rollback();
        assertThatThrownBy(other::commit).isInstanceOf(InvalidTransactionStateException.class)
                .hasMessageContaining("ROLLED_BACK");
    }

    @Test
    void aBodyOnAnotherVChannelOrWithAnUnknownTransactionIsRefusedClearly() {
        WAL wal = opener(Map.of()).open(OpenOption.readWrite("misuse", 1));
        Txn txn = wal.beginTxn("v1", Duration.ofSeconds(30));
        assertThatThrownBy(() -> txn.append(data("v2", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v2");
        MutableMessage stray = data("v1", "x").withTxnContext(new io.wal4j.api.message.TxnContext(42,
                Duration.ofSeconds(1)));
        assertThatThrownBy(() -> wal.append(stray)).isInstanceOf(TransactionExpiredException.class)
                .hasMessageContaining("42");
        assertThatThrownBy(() -> wal.beginTxn("", Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> wal.beginTxn("v1", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> wal.append(MutableMessage.newBuilder().messageType(MessageType.COMMIT_TXN).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCommitWaitsForEveryBodyInFlightAndTheTransactionArrivesWithAllOfThem() throws Exception {
        WAL wal = opener(Map.of()).open(OpenOption.readWrite("inflight", 1));
        Txn txn = wal.beginTxn("v1", Duration.ofSeconds(30));
        List<CompletableFuture<AppendResult>> bodies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            bodies.add(txn.appendAsync(data("v1", "b" + i)));
        }
        AppendResult commit = txn.commitAsync(Map.of()).get(30, TimeUnit.SECONDS);
        for (CompletableFuture<AppendResult> body : bodies) {
            assertThat(body).isCompleted();
            assertThat(body.get().timeTick()).isLessThan(commit.timeTick());
        }
        wal.append(data("v1", "end"));
        try (Scanner scanner = wal.read(ReadOption.all())) {
            List<ImmutableMessage> seen = readUntil(scanner, "end");
            assertThat(seen).hasSize(1);
            assertThat(((ImmutableTxnMessage) seen.get(0)).size()).isEqualTo(200);
        }
    }

    @Test
    void theLastConfirmedIdStaysAtAnOpenTransactionsBeginAndMovesOnOnceItCommits() {
        WAL wal = opener(Map.of()).open(OpenOption.readWrite("lastconfirmed", 1));
        Txn txn = wal.beginTxn("v1", Duration.ofSeconds(30));
        txn.append(data("v1", "body"));
        AppendResult last = null;
        for (int i = 0; i < 20; i++) {
            last = wal.append(data("v2", "p" + i));
        }
        AppendResult lastBefore = last;
        await().atMost(Duration.ofSeconds(10)).until(() ->
                wal.metrics().details().lastConfirmedTimeTick() >= lastBefore.timeTick());
        AppendResult plain = wal.append(data("v2", "after"));
        try (Scanner scanner = wal.read(ReadOption.all())) {
            ImmutableMessage read = null;
            while (read == null || !read.id().equals(plain.messageId())) {
                read = scanner.poll(Duration.ofSeconds(10));
                assertThat(read).isNotNull();
            }
            assertThat(read.lastConfirmedId()).isEqualTo(txn.beginResult().messageId());
        }
        txn.commit();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            AppendResult later = wal.append(data("v2", "later"));
            try (Scanner scanner = wal.read(ReadOption.newBuilder().deliverPolicy(
                    io.wal4j.api.DeliverPolicy.startFrom(later.messageId())).build())) {
                ImmutableMessage read = scanner.poll(Duration.ofSeconds(10));
                assertThat(read.lastConfirmedId()).isGreaterThan(txn.beginResult().messageId());
            }
        });
    }

    @Test
    void aReaderWithATooSmallTransactionBufferFailsClearlyNamingTheLimit() {
        WAL wal = opener(Map.of(AdaptorConfig.TXN_BUFFER_BYTES.name(), "1KiB")).open(OpenOption.readWrite("big", 1));
        Txn txn = wal.beginTxn("v1", Duration.ofSeconds(30));
        txn.append(MutableMessage.newBuilder().vchannel("v1").payload(new byte[4096]).build());
        txn.commit();
        try (Scanner scanner = wal.read(ReadOption.all())) {
            assertThatThrownBy(() -> {
                while (true) {
                    assertThat(scanner.poll(Duration.ofSeconds(10))).isNotNull();
                }
            }).isInstanceOf(WALException.class).hasMessageContaining(AdaptorConfig.TXN_BUFFER_BYTES.name())
                    .hasMessageContaining(String.valueOf(txn.context().txnId()));
            assertThatThrownBy(() -> scanner.poll(Duration.ofMillis(1))).isInstanceOf(WALException.class)
                    .hasMessageContaining(AdaptorConfig.TXN_BUFFER_BYTES.name());
            assertThat(scanner.done()).isCompletedExceptionally();
            assertThat(wal.metrics().activeScanners()).as("the failed scanner deregistered").isZero();
        }
        assertThat(wal.txnMetrics().tooLarge()).isEqualTo(1);
    }

    @Test
    void aClosingWALRefusesNewTransactionsAndWaitsForTheOpenOneToCommit() throws Exception {
        WAL wal = opener(Map.of(AdaptorConfig.TXN_CLOSE_WAIT.name(), "1m")).open(OpenOption.readWrite("closing", 1));
        Txn open = wal.beginTxn("v1", Duration.ofMinutes(1));
        open.append(data("v1", "body"));
        assertThat(wal.txnMetrics().open()).isEqualTo(1);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(wal::close);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> wal.beginTxn("v1", Duration.ofSeconds(1)))
                        .isInstanceOf(TransactionExpiredException.class).hasMessageContaining("closing"));
        assertThat(closed).isNotDone();
        AppendResult commit = open.commit();
        closed.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> wal.beginTxn("v1", Duration.ofSeconds(1))).isInstanceOf(WALClosedException.class);
        try (WAL reopened = opener(Map.of()).open(OpenOption.readWrite("closing", 2));
             Scanner scanner = reopened.read(ReadOption.all())) {
            reopened.append(data("v1", "end"));
            List<ImmutableMessage> seen = readUntil(scanner, "end");
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).id()).isEqualTo(commit.messageId());
        }
    }

    @Test
    void aClosingWALGivesUpOnAnOpenTransactionAfterTheConfiguredWait() {
        WAL wal = opener(Map.of(AdaptorConfig.TXN_CLOSE_WAIT.name(), "10ms")).open(
                OpenOption.readWrite("giveup", 1));
        Txn open = wal.beginTxn("v1", Duration.ofMinutes(1));
        wal.close();
        assertThatThrownBy(() -> open.append(data("v1", "late"))).isInstanceOf(WALClosedException.class);
    }

    @Test
    void transactionsLeftOpenByACrashedWriterAreNeverDeliveredNorBlockTheNewWriter() {
        Opener opener = opener(Map.of(AdaptorConfig.TXN_CLOSE_WAIT.name(), "0ms"));
        WAL dead = opener.open(OpenOption.readWrite("crash", 1));
        Txn orphan = dead.beginTxn("v1", Duration.ofMinutes(10));
        orphan.append(data("v1", "orphan-body"));
        dead.append(data("v1", "before"));
        dead.close(); // the writer dies without committing
        try (WAL next = opener.open(OpenOption.readWrite("crash", 2))) {
            assertThatThrownBy(() -> next.append(data("v1", "x").withTxnContext(orphan.context())))
                    .isInstanceOf(TransactionExpiredException.class);
            AppendResult after = next.append(data("v1", "after"));
            Txn fresh = next.beginTxn("v1", Duration.ofMinutes(10));
            fresh.append(data("v1", "fresh-body"));
            fresh.commit();
            next.append(data("v1", "end"));
            try (Scanner scanner = next.read(ReadOption.all())) {
                List<ImmutableMessage> seen = readUntil(scanner, "end");
                assertThat(seen).hasSize(3);
                assertThat(AdaptorTestUtils.text(seen.get(0).payload())).isEqualTo("before");
                assertThat(AdaptorTestUtils.text(seen.get(1).payload())).isEqualTo("after");
                assertThat(((ImmutableTxnMessage) seen.get(2)).bodies()).extracting(
                        m -> AdaptorTestUtils.text(m.payload())).containsExactly("fresh-body");
            }
            assertThat(((WALAdaptor) next).txnBufferStats().expired.sum()).isEqualTo(1);
            assertThat(((WALAdaptor) next).txnBufferStats().heldBytes.sum()).isZero();
            assertThat(after.messageId()).isNotNull();
            try (Scanner scanner = next.read(ReadOption.newBuilder().deliverPolicy(
                    io.wal4j.api.DeliverPolicy.startFrom(after.messageId())).build())) {
                ImmutableMessage m = AdaptorTestUtils.takeData(scanner);
                assertThat(m.lastConfirmedId()).as("the orphan's begin does not hold the new writer back")
                        .isGreaterThan(orphan.beginResult().messageId());
            }
        }
    }
}
