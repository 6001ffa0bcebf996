package io.wal4j.impls.memory;

import static io.wal4j.impls.memory.MemoryTestUtils.failure;
import static io.wal4j.impls.memory.MemoryTestUtils.get;
import static io.wal4j.impls.memory.MemoryTestUtils.message;
import static io.wal4j.impls.memory.MemoryTestUtils.openRW;
import static io.wal4j.impls.memory.MemoryTestUtils.opener;
import static io.wal4j.impls.memory.MemoryTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Model-based check of a channel's {@link MemoryLog}, driven through a WAL and its {@link MemoryStore}: random
 * sequences of append, hold, release, truncate, crash and reopen, compared after every step with a plain reference
 * model of what must be readable, pending and acknowledged.
 */
class MemoryLogTest {

    enum Kind { APPEND, HOLD, RELEASE, TRUNCATE, CRASH, REOPEN }

    /** One step; {@code arg} is the truncation offset for {@link Kind#TRUNCATE}. */
    record Op(Kind kind, int arg) {
        @Override
        public String toString() {
            return kind == Kind.TRUNCATE ? "TRUNCATE(" + arg + ")" : kind.name();
        }
    }

    /** An entry of the model: its id and its "n" property. */
    record Stored(long id, long n) {
    }

    record Held(long id, long n, CompletableFuture<MessageId> future) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(new Op(Kind.APPEND, 0))),
                Tuple.of(2, Arbitraries.just(new Op(Kind.HOLD, 0))),
                Tuple.of(2, Arbitraries.just(new Op(Kind.RELEASE, 0))),
                Tuple.of(2, Arbitraries.integers().between(0, 40).map(i -> new Op(Kind.TRUNCATE, i))),
                Tuple.of(1, Arbitraries.just(new Op(Kind.CRASH, 0))),
                Tuple.of(1, Arbitraries.just(new Op(Kind.REOPEN, 0))));
        return op.list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void theLogBehavesLikeItsReferenceModel(@ForAll("operations") List<Op> ops) {
        MemoryOpenerBuilder builder = new MemoryOpenerBuilder();
        MemoryStore store = builder.store("default");
        List<Stored> acknowledged = new ArrayList<>();
        List<Held> held = new ArrayList<>();
        long nextId = 0;
        long nextN = 0;
        long term = 1;
        boolean holding = false;
        try (OpenerImpls opener = opener(builder)) {
            WALImpls wal = openRW(opener, "c", term);
            for (Op op : ops) {
                switch (op.kind()) {
                    case APPEND -> {
                        long n = nextN++;
                        CompletableFuture<MessageId> f = wal.append(message(n), Durability.MEMORY);
                        if (holding) {
                            assertThat(f).isNotDone();
                            held.add(new Held(nextId, n, f));
                        } else {
                            assertThat(f.getNow(null)).isEqualTo(MemoryMessageId.of(nextId));
                            acknowledged.add(new Stored(nextId, n));
                        }
                        nextId++;
                    }
                    case HOLD -> {
                        store.holdAcknowledgements();
                        holding = true;
                    }
                    case RELEASE -> {
                        assertThat(store.releaseAcknowledgements()).isEqualTo(held.size());
                        for (Held h : held) {
                            assertThat(h.future().getNow(null)).isEqualTo(MemoryMessageId.of(h.id()));
                            acknowledged.add(new Stored(h.id(), h.n()));
                        }
                        held.clear();
                        holding = false;
                    }
                    case TRUNCATE -> {
                        get(wal.truncate(MemoryMessageId.of(op.arg())));
                        acknowledged.removeIf(s -> s.id() <= op.arg());
                    }
                    case CRASH -> {
                        assertThat(store.simulateCrash()).isEqualTo(held.size());
                        for (Held h : held) {
                            assertThat(failure(h.future())).isInstanceOf(WALStorageException.class);
                        }
                        if (!held.isEmpty()) {
                            nextId = held.get(0).id();
                        }
                        held.clear();
                        holding = false;
                        assertThat(failure(wal.append(message(-1), Durability.MEMORY)))
                                .isInstanceOf(WALStorageException.class);
                        wal.close();
                        wal = openRW(opener, "c", ++term);
                    }
                    case REOPEN -> {
                        wal.close();
                        wal = openRW(opener, "c", ++term);
                    }
                    default -> throw new IllegalStateException(op.toString());
                }
                assertThat(readAll(wal)).as("after %s in %s", op, ops)
                        .extracting(m -> new Stored(MemoryTestUtils.offset(m.id()), MemoryTestUtils.n(m)))
                        .containsExactlyElementsOf(acknowledged);
                assertThat(store.acknowledgedCount("c")).isEqualTo(acknowledged.size());
                assertThat(store.pendingAcknowledgements()).isEqualTo(held.size());
                assertThat(store.isHoldingAcknowledgements()).isEqualTo(holding);
            }
            // Whatever happened, the next append gets the model's next id.
            store.releaseAcknowledgements();
            assertThat(get(wal.append(message(nextN), Durability.MEMORY))).isEqualTo(MemoryMessageId.of(nextId));
        }
    }
}
