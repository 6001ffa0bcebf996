package io.wal4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.AppendResult;
import io.wal4j.api.DeliverFilter;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.OpenerBuilder;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.TransactionExpiredException;
import io.wal4j.api.Txn;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.ImmutableTxnMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.registry.WALImplsRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user contract of a full WAL (a backend wrapped by the adaptor), check by check: DESIGN.md §7 and the Milvus
 * adaptor suite. Subclass it with one factory hook, {@link #newBuilder()}, and optionally {@link #config()}.
 *
 * <p>What it asserts beyond the backend kit: every delivered data message carries a time tick, ticks delivered to a
 * scanner strictly increase, the tick and id of each {@link AppendResult} are the ones delivered, and <b>resume
 * without loss</b>: reading from any message's last-confirmed id with {@code timeTickGte(its tick)} delivers exactly
 * every message with a tick at least its own. System messages (time ticks) are skipped when comparing data.
 *
 * <p>Each test opens its own opener and uses fresh channel names, so backends with shared state do not interfere.
 * Read-only checks run only when the backend's {@link #capabilities()} say it has read-only WALs, and are otherwise
 * skipped with a JUnit assumption (and the refusal checked), as {@link WALImplsConformanceTest} does.
 */
public abstract class WALConformanceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Opener opener;
    private boolean readOnlySupported;
    private final Random random = new Random();

    /** @return the builder of the WAL under test (for example {@code WALRegistry.builder("memory")}) */
    protected abstract OpenerBuilder newBuilder();

    /** @return the configuration of each opener; default empty */
    protected WALConfig config() {
        return WALConfig.empty();
    }

    /** @return how many messages each writer appends; default 100 */
    protected int messageCount() {
        return 100;
    }

    /**
     * The capabilities of the backend under test: checks needing one it lacks are skipped with a JUnit assumption
     * that names it (read-only WALs), never passed silently. The default looks the backend up in
     * {@link WALImplsRegistry} by {@code newBuilder().name()}; override it for a backend that is not registered.
     *
     * @throws IllegalStateException if the default finds no backend of that name
     */
    protected Capabilities capabilities() {
        String name = newBuilder().name();
        return WALImplsRegistry.find(name).map(OpenerBuilderImpls::capabilities)
                .orElseThrow(() -> new IllegalStateException("no backend \"" + name + "\" in WALImplsRegistry: "
                        + "override capabilities() in " + getClass().getName()));
    }

    @BeforeEach
    void openOpener() {
        readOnlySupported = capabilities().readOnly();
        opener = newBuilder().build(config());
    }

    @AfterEach
    void closeOpener() {
        if (opener != null) {
            opener.close();
        }
    }

    @Test
    void threeChannelsAcrossThreeTermsDeliverEveryMessageInStrictlyIncreasingTimeTicks() throws Exception {
        List<CompletableFuture<Void>> channels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String channel = freshChannel("kit" + i);
            channels.add(CompletableFuture.runAsync(() -> runTermsOn(channel)));
        }
        CompletableFuture.allOf(channels.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }

    private void runTermsOn(String channel) {
        List<Written> all = new ArrayList<>();
        for (long term = 1; term <= 3; term++) {
            try (WAL wal = opener.open(OpenOption.readWrite(channel, term))) {
                assertThat(wal.channel().name()).isEqualTo(channel);
                assertThat(wal.channel().term()).isEqualTo(term);
                CompletableFuture<List<ImmutableMessage>> early = readAllData(wal, "early", term);
                List<Written> written = appendConcurrently(wal, messageCount() - 1, 5, term);
                CompletableFuture<List<ImmutableMessage>> late = readAllData(wal, "late", term);
                written.add(append(wal, marker(term)));
                all.addAll(sortedById(written));
                assertThat(sortedById(all)).isEqualTo(all);
                assertDelivered(join(early), all);
                assertDelivered(join(late), all);
            }
            if (readOnlySupported) {
                try (ReadOnlyWAL readOnly = opener.openReadOnly(OpenOption.readOnly(channel, term))) {
                    assertThat(readOnly).isNotInstanceOf(WAL.class);
                    assertDelivered(join(readAllData(readOnly, "ro", term)), all);
                }
            }
        }
    }

    @Test
    void aReadOnlyWALIsNoWALAndDeliversWhatTheWriterWrote() {
        Assumptions.assumeTrue(readOnlySupported, "capabilities().readOnly() is false: read-only WAL checks skipped");
        String channel = freshChannel("ro");
        List<Written> written;
        try (WAL wal = opener.open(OpenOption.readWrite(channel, 1))) {
            written = sortedById(appendConcurrently(wal, 10, 2, 1));
            written.add(append(wal, marker(1)));
        }
        try (ReadOnlyWAL readOnly = opener.openReadOnly(OpenOption.readOnly(channel, 1))) {
            assertThat(readOnly).isNotInstanceOf(WAL.class);
            assertDelivered(join(readAllData(readOnly, "ro", 1)), written);
        }
    }

    @Test
    void openReadOnlyIsRefusedWithUnsupportedOperationExceptionWithoutTheCapability() {
        Assumptions.assumeFalse(readOnlySupported,
                "capabilities().readOnly() is true: the refusal of a backend without read-only WALs is not checked");
        assertThatThrownBy(() -> opener.openReadOnly(OpenOption.readOnly(freshChannel("ro"), 1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void startFromAndStartAfterDeliverFromTheMiddle() throws Exception {
        String channel = freshChannel("from");
        try (WAL wal = opener.open(OpenOption.readWrite(channel, 1))) {
            List<Written> written = sortedById(appendConcurrently(wal, messageCount(), 5, 1));
            Written middle = written.get(written.size() / 2);
            List<Written> fromMiddle = written.subList(written.size() / 2, written.size());
            try (Scanner scanner = wal.read(ReadOption.newBuilder()
                    .deliverPolicy(DeliverPolicy.startFrom(middle.result.messageId())).build())) {
                assertDelivered(readData(scanner, lastByTick(fromMiddle)), fromMiddle);
            }
            List<Written> afterMiddle = fromMiddle.subList(1, fromMiddle.size());
            try (Scanner scanner = wal.read(ReadOption.newBuilder()
                    .deliverPolicy(DeliverPolicy.startAfter(middle.result.messageId())).build())) {
                assertDelivered(readData(scanner, lastByTick(afterMiddle)), afterMiddle);
            }
        }
    }

    @Test
    void latestDeliversNoEarlierDataAndThenTheNextAppend() {
        String channel = freshChannel("latest");
        try (WAL wal = opener.open(OpenOption.readWrite(channel, 1))) {
            appendConcurrently(wal, 10, 5, 1);
            try (Scanner scanner = wal.read(ReadOption.newBuilder().deliverPolicy(DeliverPolicy.latest()).build())) {
                Written next = append(wal, MutableMessage.newBuilder().property("id", "next").build());
                List<ImmutableMessage> data = readData(scanner, m -> m.id().equals(next.result.messageId()));
                assertThat(data).extracting(ImmutableMessage::id).containsExactly(next.result.messageId());
            }
        }
    }

    @Test
    void resumingFromAnyLastConfirmedIdLosesNothing() throws Exception {
        String channel = freshChannel("resume");
        try (WAL wal = opener.open(OpenOption.readWrite(channel, 1))) {
            List<Written> written = appendConcurrently(wal, messageCount() * 2, 10, 1);
            long maxTick = written.stream().mapToLong(w -> w.result.timeTick()).max().orElseThrow();
            List<ImmutableMessage> stored = join(readAllUntilTick(wal, maxTick));
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                ImmutableMessage x = stored.get(random.nextInt(stored.size()));
                readers.add(CompletableFuture.runAsync(() -> assertResumeFrom(wal, x, written, maxTick)));
            }
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }
    }

    private void assertResumeFrom(WAL wal, ImmutableMessage x, List<Written> written, long maxTick) {
        ReadOption option = ReadOption.newBuilder().deliverPolicy(DeliverPolicy.startFrom(x.lastConfirmedId()))
                .filter(DeliverFilter.timeTickGte(x.timeTick())).build();
        try (Scanner scanner = wal.read(option)) {
            List<ImmutableMessage> delivered = readData(scanner, m -> m.timeTick() == maxTick);
            assertStrictlyIncreasingTicks(delivered);
            long expected = written.stream().filter(w -> w.result.timeTick() >= x.timeTick()).count();
            assertThat(delivered).as("resume from %s at tick %d", x.lastConfirmedId(), x.timeTick())
                    .hasSize((int) expected);
        }
    }

    @Test
    void appendResultsCarryTheDeliveredTimeTickAndId() {
        String channel = freshChannel("result");
        try (WAL wal = opener.open(OpenOption.readWrite(channel, 1))) {
            List<Written> written = appendConcurrently(wal, 20, 5, 1);
            long maxTick = written.stream().mapToLong(w -> w.result.timeTick()).max().orElseThrow();
            List<ImmutableMessage> delivered = join(readAllUntilTick(wal, maxTick));
            for (Written w : written) {
                assertThat(delivered).filteredOn(m -> m.id().equals(w.result.messageId()))
                        .singleElement().satisfies(m -> {
                            assertThat(m.timeTick()).isEqualTo(w.result.timeTick());
                            assertThat(m.term()).hasValue(1);
                        });
            }
        }
    }

    @Test
    void closingTheWALReleasesABlockedTakeWithWALClosedException() throws Exception {
        WAL wal = opener.open(OpenOption.readWrite(freshChannel("close"), 1));
        Scanner scanner = wal.read(ReadOption.newBuilder().deliverPolicy(DeliverPolicy.latest())
                .filter(DeliverFilter.messageTypeIn(MessageType.DATA)).build());
        CompletableFuture<ImmutableMessage> blocked = CompletableFuture.supplyAsync(() -> takeData(scanner));
        wal.close();
        assertThatThrownBy(() -> blocked.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WALClosedException.class);
        wal.close();
        scanner.close();
    }

    @Test
    void everyCallAfterCloseFailsWithWALClosedException() {
        WAL wal = opener.open(OpenOption.readWrite(freshChannel("after"), 1));
        wal.close();
        assertThat(wal.isAvailable()).isFalse();
        assertThat(wal.available()).isDone();
        assertThat(wal.appendAsync(MutableMessage.newBuilder().build()))
                .failsWithin(WAIT).withThrowableThat().withCauseInstanceOf(WALClosedException.class);
        assertThatThrownBy(() -> wal.append(MutableMessage.newBuilder().build()))
                .isInstanceOf(WALClosedException.class);
        assertThatThrownBy(() -> wal.read(ReadOption.all())).isInstanceOf(WALClosedException.class);
        opener.close();
        assertThatThrownBy(() -> opener.open(OpenOption.readWrite(freshChannel("after"), 1)))
                .isInstanceOf(WALClosedException.class);
    }

    @Test
    void badArgumentsGetTheDocumentedExceptions() {
        try (WAL wal = opener.open(OpenOption.readWrite(freshChannel("bad"), 1))) {
            assertThat(wal.appendAsync(null)).failsWithin(WAIT).withThrowableThat()
                    .withCauseInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> wal.append(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> wal.read(null)).isInstanceOf(NullPointerException.class);
            assertThat(wal.appendAsync(MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build()))
                    .failsWithin(WAIT).withThrowableThat().withCauseInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> opener.open(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> opener.open(OpenOption.readOnly(freshChannel("bad"), 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- transactions (the Milvus adaptor suite, reference §4) ---------------------------------------------

    private static final MessageType INSERT = MessageType.define("kit-insert");
    private static final MessageType OTHER = MessageType.define("kit-other");

    /** What one operation of the transaction workload left in the log, as a reader of "v1" + INSERT should see it. */
    private record Visible(String id, AppendResult result, int bodies) {
    }

    @Test
    void transactionsAcrossThreeChannelsAndThreeTermsArriveWholeOrNeverInStrictlyIncreasingTimeTicks()
            throws Exception {
        List<CompletableFuture<Void>> channels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String channel = freshChannel("txn" + i);
            long seed = random.nextLong();
            channels.add(CompletableFuture.runAsync(() -> runTxnTermsOn(channel, new Random(seed))));
        }
        CompletableFuture.allOf(channels.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
    }

    private void runTxnTermsOn(String channel, Random rnd) {
        List<Visible> all = new ArrayList<>();
        for (long term = 1; term <= 3; term++) {
            try (WAL wal = opener.open(OpenOption.readWrite(channel, term))) {
                CompletableFuture<List<ImmutableMessage>> first = readInsertsOfV1(wal, "txn-a", term);
                CompletableFuture<List<ImmutableMessage>> second = readInsertsOfV1(wal, "txn-b", term);
                List<Visible> visible = txnWorkload(wal, term, rnd);
                AppendResult marker = wal.append(MutableMessage.newBuilder().messageType(INSERT).vchannel("v1")
                        .property("id", "marker-" + term).property("const", "t")
                        .property("term", Long.toString(term)).build());
                visible.add(new Visible("marker-" + term, marker, -1));
                all.addAll(visible);
                all.sort(Comparator.comparing(v -> v.result.messageId()));
                assertVisible(join(first), all);
                assertVisible(join(second), all);
            }
        }
    }

    @Test
    void resumingFromAnyLastConfirmedIdLosesNothingWithTransactionsInTheLog() throws Exception {
        String channel = freshChannel("txnresume");
        try (WAL wal = opener.open(OpenOption.readWrite(channel, 1))) {
            List<Visible> visible = txnWorkload(wal, 1, new Random(random.nextLong()));
            long maxTick = visible.stream().mapToLong(v -> v.result.timeTick()).max().orElseThrow();
            List<ImmutableMessage> stored;
            try (Scanner scanner = wal.read(ReadOption.newBuilder().vchannel("v1")
                    .filter(DeliverFilter.messageTypeIn(INSERT)).build())) {
                stored = readInsertsAndTxns(scanner, m -> m.timeTick() == maxTick);
            }
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                ImmutableMessage x = stored.get(random.nextInt(stored.size()));
                readers.add(CompletableFuture.runAsync(() -> {
                    ReadOption option = ReadOption.newBuilder().vchannel("v1")
                            .deliverPolicy(DeliverPolicy.startFrom(x.lastConfirmedId()))
                            .filter(DeliverFilter.timeTickGte(x.timeTick())).filter(DeliverFilter.messageTypeIn(INSERT))
                            .build();
                    try (Scanner scanner = wal.read(option)) {
                        List<ImmutableMessage> delivered = readInsertsAndTxns(scanner, m -> m.timeTick() == maxTick);
                        assertStrictlyIncreasingTicks(delivered);
                        long expected = visible.stream().filter(v -> v.result.timeTick() >= x.timeTick()).count();
                        assertThat(delivered).as("resume from %s at tick %d", x.lastConfirmedId(), x.timeTick())
                                .hasSize((int) expected);
                    }
                }));
            }
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }
    }

    /**
     * Appends, 10 at a time, plain inserts and transactions (begin, 0–4 bodies, commit with id/const properties) on
     * "v1", plus noise a reader of "v1" + INSERT must not see: inserts on "v2", other types on "v1", and a third of
     * the time an extra transaction that is rolled back or left to expire.
     *
     * @return what a reader of "v1" with an INSERT filter must see
     */
    private List<Visible> txnWorkload(WAL wal, long term, Random rnd) {
        int operations = Math.max(messageCount() / 2, 10);
        long[] seeds = new long[operations];
        for (int i = 0; i < operations; i++) {
            seeds[i] = rnd.nextLong();
        }
        ExecutorService workers = Executors.newFixedThreadPool(10, runnable -> {
            Thread thread = new Thread(runnable, "wal4j-kit-txn-" + wal.channel().name());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<CompletableFuture<List<Visible>>> futures = new ArrayList<>();
            for (int i = 0; i < operations; i++) {
                int op = i;
                futures.add(CompletableFuture.supplyAsync(() -> txnOperation(wal, term, op, new Random(seeds[op])),
                        workers));
            }
            List<Visible> visible = new ArrayList<>();
            for (CompletableFuture<List<Visible>> future : futures) {
                visible.addAll(join(future));
            }
            return visible;
        } finally {
            workers.shutdownNow();
        }
    }

    private static List<Visible> txnOperation(WAL wal, long term, int op, Random rnd) {
        List<Visible> visible = new ArrayList<>();
        String id = term + "-" + op;
        switch (rnd.nextInt(4)) {
            case 0 -> {
                AppendResult r = wal.append(insert("v1", id));
                visible.add(new Visible(id, r, -1));
            }
            case 1 -> {
                wal.append(insert("v2", "v2-" + id));
                wal.append(MutableMessage.newBuilder().messageType(OTHER).vchannel("v1").property("id", "other-" + id)
                        .build());
            }
            default -> {
                Txn txn = wal.beginTxn("v1", Duration.ofSeconds(30));
                int bodies = rnd.nextInt(5);
                for (int b = 0; b < bodies; b++) {
                    txn.append(insert("v1", id + "/" + b));
                }
                AppendResult commit = txn.commit(java.util.Map.of("id", id, "const", "t"));
                assertThat(commit.txnContext()).contains(txn.context());
                visible.add(new Visible(id, commit, bodies));
            }
        }
        if (rnd.nextInt(3) == 0) {
            boolean rollBack = rnd.nextBoolean();
            Txn dead = wal.beginTxn("v1", rollBack ? Duration.ofSeconds(30) : Duration.ofMillis(20));
            if (rollBack) {
                dead.append(insert("v1", "dead-" + id));
                dead.rollback();
            } else {
                // Left to expire: with a 20 ms keepalive it may already have expired before its body.
                CompletableFuture<AppendResult> body = dead.appendAsync(insert("v1", "dead-" + id));
                body.exceptionally(e -> {
                    assertThat(e).isInstanceOf(TransactionExpiredException.class);
                    return null;
                }).join();
            }
        }
        return visible;
    }

    private static MutableMessage insert(String vchannel, String id) {
        return MutableMessage.newBuilder().messageType(INSERT).vchannel(vchannel)
                .payload(("payload-" + id).getBytes(StandardCharsets.UTF_8)).property("id", id).property("const", "t")
                .build();
    }

    private CompletableFuture<List<ImmutableMessage>> readInsertsOfV1(ReadOnlyWAL wal, String name, long term) {
        Scanner scanner = wal.read(ReadOption.newBuilder().name(name + "-" + term + "-" + random.nextInt(1 << 20))
                .vchannel("v1").filter(DeliverFilter.messageTypeIn(INSERT)).build());
        String termText = Long.toString(term);
        return CompletableFuture.supplyAsync(() -> {
            try (scanner) {
                return readInsertsAndTxns(scanner, m -> termText.equals(m.property("term")));
            }
        });
    }

    /** Reads inserts and whole transactions (time ticks skipped, anything else is a failure) up to {@code last}. */
    private static List<ImmutableMessage> readInsertsAndTxns(Scanner scanner, Predicate<ImmutableMessage> last) {
        List<ImmutableMessage> delivered = new ArrayList<>();
        long lastTick = Long.MIN_VALUE;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ImmutableMessage m = scanner.poll(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1)));
            if (m == null) {
                throw new AssertionError("no message within " + WAIT + " on scanner " + scanner.name());
            }
            assertThat(m.timeTick()).as("strictly increasing time ticks on %s", scanner.name())
                    .isGreaterThan(lastTick);
            lastTick = m.timeTick();
            if (m.messageType().equals(MessageType.TIME_TICK)) {
                continue;
            }
            assertThat(m.messageType()).as("only inserts and whole transactions pass the filters: %s", m)
                    .isIn(INSERT, MessageType.TXN);
            assertThat(m.vchannel()).isEqualTo("v1");
            delivered.add(m);
            if (last.test(m)) {
                return delivered;
            }
        }
    }

    private static void assertVisible(List<ImmutableMessage> delivered, List<Visible> expected) {
        assertStrictlyIncreasingTicks(delivered);
        List<ImmutableMessage> byId = new ArrayList<>(delivered);
        byId.sort(Comparator.comparing(ImmutableMessage::id));
        assertThat(byId).extracting(ImmutableMessage::id)
                .containsExactlyElementsOf(expected.stream().map(v -> v.result.messageId()).toList());
        for (int i = 0; i < expected.size(); i++) {
            ImmutableMessage got = byId.get(i);
            Visible want = expected.get(i);
            assertThat(got.property("id")).isEqualTo(want.id);
            assertThat(got.property("const")).isEqualTo("t");
            assertThat(got.timeTick()).isEqualTo(want.result.timeTick());
            if (want.bodies < 0) {
                assertThat(got).isNotInstanceOf(ImmutableTxnMessage.class);
                continue;
            }
            assertThat(got).isInstanceOf(ImmutableTxnMessage.class);
            ImmutableTxnMessage txn = (ImmutableTxnMessage) got;
            assertThat(txn.size()).as("bodies of transaction %s", want.id).isEqualTo(want.bodies);
            for (int b = 0; b < txn.size(); b++) {
                ImmutableMessage body = txn.bodies().get(b);
                assertThat(body.property("id")).isEqualTo(want.id + "/" + b);
                assertThat(body.timeTick()).isEqualTo(want.result.timeTick());
                assertThat(body.txnContext()).isEqualTo(want.result.txnContext());
            }
        }
        assertThat(delivered).noneMatch(m -> m.property("id") != null && m.property("id").startsWith("dead-"));
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /** One acknowledged append: what was sent and what came back. */
    private record Written(MutableMessage message, AppendResult result) {
    }

    private static MutableMessage marker(long term) {
        return MutableMessage.newBuilder().property("id", "marker").property("const", "t")
                .property("term", Long.toString(term)).vchannel("v1").build();
    }

    private List<Written> appendConcurrently(WAL wal, int count, int inFlight, long term) {
        Semaphore permits = new Semaphore(inFlight);
        List<CompletableFuture<Written>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MutableMessage message = MutableMessage.newBuilder()
                    .payload(("payload-" + term + "-" + i).getBytes(StandardCharsets.UTF_8))
                    .property("id", term + "-" + i).property("const", "t").build();
            permits.acquireUninterruptibly();
            futures.add(wal.appendAsync(message).whenComplete((r, e) -> permits.release())
                    .thenApply(result -> new Written(message, result)));
        }
        List<Written> written = new ArrayList<>();
        for (CompletableFuture<Written> future : futures) {
            written.add(join(future));
        }
        return written;
    }

    private static Written append(WAL wal, MutableMessage message) {
        return new Written(message, wal.append(message));
    }

    /**
     * Scanners deliver in time-tick order, which under concurrent appends differs from id order: the last message of a
     * range to arrive is the one with the largest tick, not the largest id.
     */
    private static Predicate<ImmutableMessage> lastByTick(List<Written> expected) {
        long maxTick = expected.stream().mapToLong(w -> w.result.timeTick()).max().orElseThrow();
        return m -> m.timeTick() == maxTick;
    }

    private static List<Written> sortedById(List<Written> written) {
        List<Written> sorted = new ArrayList<>(written);
        sorted.sort(Comparator.comparing(w -> w.result.messageId()));
        return sorted;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private CompletableFuture<List<ImmutableMessage>> readAllData(ReadOnlyWAL wal, String name, long term) {
        Scanner scanner = wal.read(ReadOption.newBuilder().name(name + "-" + term + "-" + random.nextInt(1 << 20))
                .build());
        String termText = Long.toString(term);
        return CompletableFuture.supplyAsync(() -> {
            try (scanner) {
                return readData(scanner, m -> termText.equals(m.property("term")));
            }
        });
    }

    private CompletableFuture<List<ImmutableMessage>> readAllUntilTick(ReadOnlyWAL wal, long tick) {
        Scanner scanner = wal.read(ReadOption.all());
        return CompletableFuture.supplyAsync(() -> {
            try (scanner) {
                return readData(scanner, m -> m.timeTick() == tick);
            }
        });
    }

    /** Reads data messages (system ones skipped) up to and including the first that matches {@code last}. */
    private static List<ImmutableMessage> readData(Scanner scanner, Predicate<ImmutableMessage> last) {
        List<ImmutableMessage> data = new ArrayList<>();
        while (true) {
            ImmutableMessage message = takeData(scanner);
            data.add(message);
            if (last.test(message)) {
                return data;
            }
        }
    }

    private static ImmutableMessage takeData(Scanner scanner) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            ImmutableMessage message = scanner.poll(Duration.ofNanos(Math.max(left, 1)));
            if (message == null) {
                throw new AssertionError("no data message within " + WAIT + " on scanner " + scanner.name());
            }
            if (!message.messageType().isSystem()) {
                assertThat(message.hasTimeTick()).as("data message %s carries a time tick", message.id()).isTrue();
                return message;
            }
        }
    }

    // ---- checks --------------------------------------------------------------------------------------------

    private static void assertDelivered(List<ImmutableMessage> delivered, List<Written> expected) {
        assertStrictlyIncreasingTicks(delivered);
        List<ImmutableMessage> byId = new ArrayList<>(delivered);
        byId.sort(Comparator.comparing(ImmutableMessage::id));
        assertThat(byId).extracting(ImmutableMessage::id)
                .containsExactlyElementsOf(expected.stream().map(w -> w.result.messageId()).toList());
        for (int i = 0; i < expected.size(); i++) {
            ImmutableMessage got = byId.get(i);
            Written want = expected.get(i);
            assertThat(got.payload()).isEqualTo(want.message.payload());
            assertThat(got.property("id")).isEqualTo(want.message.property("id"));
            assertThat(got.property("const")).isEqualTo("t");
            assertThat(got.timeTick()).isEqualTo(want.result.timeTick());
        }
    }

    private static void assertStrictlyIncreasingTicks(List<ImmutableMessage> delivered) {
        for (int i = 1; i < delivered.size(); i++) {
            assertThat(delivered.get(i).timeTick()).as("tick of delivery %d", i)
                    .isGreaterThan(delivered.get(i - 1).timeTick());
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            throw new AssertionError("operation failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + WAIT, e);
        }
    }

    private String freshChannel(String prefix) {
        return "wal_" + prefix + "_" + Long.toHexString(random.nextLong() & 0xffffffffL);
    }
}
