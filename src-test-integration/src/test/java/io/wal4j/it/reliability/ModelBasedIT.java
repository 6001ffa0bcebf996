package io.wal4j.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.AppendResult;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.OpenerBuilder;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.file.ScratchDirs;
import io.wal4j.impls.file.SeamBackend;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import io.wal4j.impls.memory.MemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based test (issue 6, item 3): seeded random sequences of append, async append, await, read from a position
 * (inclusive and exclusive), close and reopen, crash and reopen — a simulated process crash of the memory store, a
 * power loss under the file backend (through its storage seam) — run through the full WAL and checked after every
 * step against a reference model: the acknowledged messages by id, with their time ticks. A read from any
 * acknowledged id delivers exactly the model's messages from there (by id), in time-tick order, intact; after a
 * reopen the channel holds exactly the model (a crash loses only what was never acknowledged); time ticks, when
 * stamped, strictly increase.
 *
 * <p>The truncate action of the issue is not exercised: the user-facing {@link WAL} has no truncate (only the
 * backend SPI does). Each run prints its seed on failure; {@code -Dwal4j.model.seed=S} replays one run,
 * {@code -Dwal4j.model.runs=N} sets runs per backend.
 */
class ModelBasedIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Map<String, AtomicLong> FIGURES = new TreeMap<>();

    private static Path dir;

    @BeforeAll
    static void createScratch() throws java.io.IOException {
        dir = ScratchDirs.create("wal4j-model-");
    }

    @AfterAll
    static void deleteScratch() throws java.io.IOException {
        ScratchDirs.deleteTree(dir);
    }

    @AfterAll
    static void printFigures() {
        Figures f = new Figures("ModelBasedIT");
        FIGURES.forEach((k, v) -> f.put(k, v.get()));
        f.put("lost", 0).put("corruptDelivered", 0).print();
    }

    private static void count(String backend, String what, long n) {
        FIGURES.computeIfAbsent(backend + "." + what, k -> new AtomicLong()).addAndGet(n);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "file"})
    void randomActionSequencesAgreeWithTheReferenceModel(String backend) throws Exception {
        Long replay = Long.getLong("wal4j.model.seed");
        long base = System.nanoTime();
        int runs = replay != null ? 1 : Soak.modelRuns();
        for (int run = 0; run < runs; run++) {
            long seed = replay != null ? replay : base + run;
            Run r = new Run(backend, seed, dir.resolve("run-" + run));
            try {
                r.execute();
            } catch (AssertionError | Exception e) {
                throw new AssertionError(backend + " model run failed; replay with -Dwal4j.model.seed=" + seed
                        + "; last actions " + r.history + ": " + e, e);
            } finally {
                r.closeQuietly();
            }
            count(backend, "runs", 1);
        }
    }

    /** The machine under test: a full-WAL builder plus its crash hook. */
    private interface Machine {
        OpenerBuilder builder();

        WALConfig config();

        /** Kills the process (memory) or cuts the power (file): unacknowledged work may be lost. */
        void crash() throws Exception;

        /** Makes later appends wait for their acknowledgement until the crash, where the backend can. */
        void holdAcknowledgements();
    }

    private static Machine machine(String backend, long seed, Path dir) {
        if (backend.equals("memory")) {
            MemoryOpenerBuilder impls = new MemoryOpenerBuilder();
            String store = "model-" + seed;
            MemoryStore memory = impls.store(store);
            OpenerBuilder builder = WALRegistry.builder(impls);
            return new Machine() {
                public OpenerBuilder builder() {
                    return builder;
                }

                public WALConfig config() {
                    return WALConfig.of(Map.of("wal.memory.store", store));
                }

                public void crash() {
                    memory.simulateCrash();
                }

                public void holdAcknowledgements() {
                    memory.holdAcknowledgements();
                }
            };
        }
        SeamBackend seam = new SeamBackend();
        OpenerBuilder builder = WALRegistry.builder(seam);
        return new Machine() {
            public OpenerBuilder builder() {
                return builder;
            }

            public WALConfig config() {
                return WALConfig.of(Map.of("wal.file.dir", dir.toString(), "wal.file.segment-bytes", "1024"));
            }

            public void crash() throws Exception {
                seam.powerLoss();
            }

            public void holdAcknowledgements() {
                // The file backend acknowledges after its force; a power loss races the appends in flight.
            }
        };
    }

    /** One random sequence against one fresh channel. */
    private static final class Run {
        private final String backend;
        private final long seed;
        private final Random random;
        private final Machine machine;
        private final NavigableMap<MessageId, MutableMessage> model = new TreeMap<>();
        /** The time tick each acknowledged message got (0: none); through the full WAL reads follow tick order. */
        private final Map<MessageId, Long> ticks = new java.util.HashMap<>();
        private final List<Pending> pending = new ArrayList<>();
        /** Appends that failed at a crash, by their "n" property: their outcome is unknown. */
        private final Map<String, MutableMessage> maybe = new java.util.HashMap<>();
        private final Deque<String> history = new ArrayDeque<>();
        private Opener opener;
        private WAL wal;
        private int next;
        private long lastTick = Long.MIN_VALUE;

        private record Pending(MutableMessage message, CompletableFuture<AppendResult> future) {
        }

        Run(String backend, long seed, Path dir) {
            this.backend = backend;
            this.seed = seed;
            this.random = new Random(seed);
            this.machine = machine(backend, seed, dir);
        }

        void execute() throws Exception {
            open();
            int steps = 20 + random.nextInt(40);
            for (int step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                if (dice < 30) {
                    act("append", this::append);
                } else if (dice < 55) {
                    act("appendAsync", this::appendAsync);
                } else if (dice < 65) {
                    act("await", this::awaitPending);
                } else if (dice < 80) {
                    act("readFrom", this::readFromRandomPosition);
                } else if (dice < 90) {
                    act("closeReopen", this::closeAndReopen);
                } else {
                    act("crashReopen", this::crashAndReopen);
                }
            }
            act("closeReopen", this::closeAndReopen);
            count(backend, "acknowledged", model.size());
        }

        @FunctionalInterface
        private interface Step {
            void run() throws Exception;
        }

        private void act(String name, Step step) throws Exception {
            history.addLast(name);
            if (history.size() > 15) {
                history.removeFirst();
            }
            step.run();
            count(backend, name, 1);
        }

        private MutableMessage nextMessage() {
            int n = next++;
            byte[] payload = new byte[random.nextInt(200)];
            random.nextBytes(payload);
            return MutableMessage.newBuilder().payload(payload).property("n", Integer.toString(n))
                    .property("seed", Long.toString(seed)).build();
        }

        private void open() {
            opener = machine.builder().build(machine.config());
            wal = opener.open(OpenOption.readWrite("model", 1));
        }

        private void append() {
            MutableMessage m = nextMessage();
            acknowledge(wal.append(m), m);
        }

        private void acknowledge(AppendResult r, MutableMessage m) {
            assertThat(model.put(r.messageId(), m)).as("id " + r.messageId() + " given twice").isNull();
            ticks.put(r.messageId(), r.timeTick());
        }

        /** @return the ids in delivery order: by time tick when every one has a tick, else by id */
        private List<MessageId> deliveryOrder(java.util.Collection<MessageId> ids) {
            List<MessageId> out = new ArrayList<>(ids);
            if (out.stream().allMatch(id -> ticks.getOrDefault(id, 0L) > 0)) {
                out.sort(java.util.Comparator.comparingLong(ticks::get));
            } else {
                out.sort(null);
            }
            return out;
        }

        private void appendAsync() {
            MutableMessage m = nextMessage();
            pending.add(new Pending(m, wal.appendAsync(m)));
        }

        private void awaitPending() throws Exception {
            for (Pending p : pending) {
                acknowledge(p.future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), p.message);
            }
            pending.clear();
        }

        private void readFromRandomPosition() throws Exception {
            awaitPending();
            if (model.isEmpty()) {
                checkRead(ReadOption.all(), model);
                return;
            }
            List<MessageId> ids = new ArrayList<>(model.keySet());
            MessageId from = ids.get(random.nextInt(ids.size()));
            boolean inclusive = random.nextBoolean();
            ReadOption option = ReadOption.newBuilder().deliverPolicy(inclusive ? DeliverPolicy.startFrom(from)
                    : DeliverPolicy.startAfter(from)).build();
            checkRead(option, model.tailMap(from, inclusive));
        }

        /** Reads exactly the expected messages, in delivery order, then makes sure no other user message follows. */
        private void checkRead(ReadOption option, NavigableMap<MessageId, MutableMessage> expected) {
            try (Scanner scanner = wal.read(option)) {
                for (MessageId id : deliveryOrder(expected.keySet())) {
                    ImmutableMessage m = nextUser(scanner, TIMEOUT);
                    assertThat(m).as("message " + id + " delivered").isNotNull();
                    assertThat(m.id()).as("delivery order").isEqualTo(id);
                    assertSame(m, expected.get(id));
                }
                assertThat(nextUser(scanner, Duration.ofMillis(5))).as("nothing beyond the model").isNull();
            }
        }

        private ImmutableMessage nextUser(Scanner scanner, Duration timeout) {
            while (true) {
                ImmutableMessage m = scanner.poll(timeout);
                if (m == null || !m.messageType().isSystem()) {
                    return m;
                }
            }
        }

        private static void assertSame(ImmutableMessage got, MutableMessage want) {
            assertThat(got.payload()).as("payload of " + got.id()).isEqualTo(want.payload());
            assertThat(ReliabilityTestUtils.userProperties(got)).as("properties of " + got.id())
                    .isEqualTo(new TreeMap<>(want.properties()));
        }

        private void closeAndReopen() throws Exception {
            awaitPending();
            wal.close();
            opener.close();
            open();
            checkAll();
        }

        private void crashAndReopen() throws Exception {
            int inFlight = random.nextInt(4);
            if (random.nextBoolean()) {
                machine.holdAcknowledgements();
            }
            for (int i = 0; i < inFlight; i++) {
                appendAsync();
            }
            machine.crash();
            wal.close();
            opener.close();
            int lost = 0;
            for (Pending p : pending) {
                p.future.handle((r, failure) -> null).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (p.future.isCompletedExceptionally()) {
                    lost++;
                    maybe.put(p.message.property("n"), p.message);
                } else {
                    acknowledge(p.future.join(), p.message);
                }
            }
            pending.clear();
            count(backend, "unacknowledgedAtCrash", lost);
            open();
            checkAll();
        }

        /**
         * The whole channel equals the model, except that appends whose future failed at a crash may or may not be
         * there (their outcome is unknown: a batch can be forced and then fail as a whole); those found are adopted
         * into the model. Time ticks increase (ids, for messages without one); no id is delivered twice.
         */
        private void checkAll() {
            Map<MessageId, MutableMessage> adopted = new TreeMap<>();
            java.util.Set<MessageId> missing = new java.util.HashSet<>(model.keySet());
            try (Scanner scanner = wal.read(ReadOption.all())) {
                MessageId last = null;
                while (true) {
                    ImmutableMessage m = nextUser(scanner, missing.isEmpty() ? Duration.ofMillis(5) : TIMEOUT);
                    if (m == null) {
                        assertThat(missing).as("acknowledged messages that did not survive").isEmpty();
                        break;
                    }
                    if (m.hasTimeTick()) {
                        assertThat(m.timeTick()).as("time tick of " + m.id()).isGreaterThan(lastTick);
                        lastTick = m.timeTick();
                    } else if (last != null) {
                        assertThat(last.isBefore(m.id())).as("ids increase at " + m.id()).isTrue();
                    }
                    last = m.id();
                    MutableMessage known = model.get(m.id());
                    if (known != null && known.property("n").equals(m.property("n"))) {
                        assertThat(missing.remove(m.id())).as(m.id() + " delivered once").isTrue();
                        assertSame(m, known);
                        continue;
                    }
                    MutableMessage unknown = maybe.remove(m.property("n"));
                    assertThat(unknown).as("message " + m + " is neither acknowledged nor of unknown outcome")
                            .isNotNull();
                    assertSame(m, unknown);
                    adopted.put(m.id(), unknown);
                    ticks.put(m.id(), m.hasTimeTick() ? m.timeTick() : 0L);
                }
            }
            model.putAll(adopted);
            count(backend, "unknownOutcomeFound", adopted.size());
            maybe.clear();
            lastTick = Long.MIN_VALUE;
        }

        void closeQuietly() {
            if (wal != null) {
                wal.close();
            }
            if (opener != null) {
                opener.close();
            }
        }
    }

}
