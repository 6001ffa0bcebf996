package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.spi.registry.WALImplsRegistry;
import io.wal4j.utility.WriteAheadBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The switching source on its own: a raw memory backend written by hand, and a buffer fed by hand. */
class SwitchableSourceTest {

    private OpenerImpls opener;
    private WALImpls backend;
    private final ScanModes modes = new ScanModes();
    private int persistedTickRequests;
    private MessageId firstId;

    @BeforeEach
    void open() {
        opener = WALImplsRegistry.mustGet(MemoryOpenerBuilder.NAME).build(WALConfig.of(Map.of(
                MemoryOpenerBuilder.STORE.name(), "switch-" + UUID.randomUUID())));
        backend = opener.open(OpenOption.readWrite("switch", 1));
    }

    @AfterEach
    void close() {
        opener.close();
    }

    private ImmutableMessage write(MutableMessage message) {
        return message.toImmutable(backend.append(message, Durability.MEMORY).join());
    }

    private ImmutableMessage writeTick(long tick) {
        MutableMessage m = MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build().withTimeTick(tick);
        if (firstId == null) {
            ImmutableMessage first = write(m.withLastConfirmedSelf());
            firstId = first.id();
            return first;
        }
        return write(m.withLastConfirmed(firstId));
    }

    private ImmutableMessage writeData(long tick) {
        return write(MutableMessage.newBuilder().build().withTimeTick(tick).withLastConfirmed(firstId));
    }

    private SwitchableSource source(WriteAheadBuffer<ImmutableMessage> buffer) {
        return new SwitchableSource("s", backend.channel(), backend, DeliverPolicy.all(), 16, buffer, modes,
                () -> persistedTickRequests++);
    }

    @Test
    void withoutABufferItStaysInCatchUp() {
        writeTick(10);
        writeData(11);
        try (SwitchableSource source = source(null)) {
            assertThat(source.poll(Duration.ofSeconds(5)).timeTick()).isEqualTo(10);
            assertThat(source.poll(Duration.ofSeconds(5)).timeTick()).isEqualTo(11);
            assertThat(source.mode()).isEqualTo(ScanModes.Mode.CATCH_UP);
            assertThat(source.poll(Duration.ofMillis(1))).isNull();
        }
        assertThat(modes.catchUp()).isZero();
    }

    @Test
    void itTailsAfterMeetingTheBufferAndACloseWakesAConsumerWaitingThere() throws Exception {
        WriteAheadBuffer<ImmutableMessage> buffer =
                new WriteAheadBuffer<>(1 << 20, Duration.ofMinutes(1), ImmutableMessage::estimateSize);
        buffer.append(writeTick(10));
        SwitchableSource source = source(buffer);
        assertThat(source.take().timeTick()).isEqualTo(10);
        assertThat(source.mode()).isEqualTo(ScanModes.Mode.TAILING);
        assertThat(modes.tailing()).isEqualTo(1);

        ImmutableMessage data = writeData(11);
        ImmutableMessage tick = writeTick(12);
        CompletableFuture<ImmutableMessage> waiting = CompletableFuture.supplyAsync(source::take);
        buffer.appendAll(java.util.List.of(data, tick));
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isSameAs(data);
        assertThat(source.take()).isSameAs(tick);

        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                source.take();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        source.close();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(WALClosedException.class);
        assertThat(source.done()).isCompleted();
        assertThat(modes.tailing()).isZero();
        assertThatThrownBy(() -> source.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
        buffer.close();
    }

    @Test
    void anEvictedReaderFallsBackToTheBackendFromItsResumePointWithoutDuplicatesAndTailsAgain() {
        // One byte of capacity: the buffer keeps only its last entry.
        WriteAheadBuffer<ImmutableMessage> buffer =
                new WriteAheadBuffer<>(1, Duration.ofMinutes(1), ImmutableMessage::estimateSize);
        buffer.append(writeTick(10));
        try (SwitchableSource source = source(buffer)) {
            assertThat(source.take().timeTick()).isEqualTo(10);
            assertThat(source.mode()).isEqualTo(ScanModes.Mode.TAILING);
            ImmutableMessage d11 = writeData(11);
            ImmutableMessage d12 = writeData(12);
            ImmutableMessage t13 = writeTick(13);
            buffer.appendAll(java.util.List.of(d11, d12, t13)); // evicts d11 and d12 at once
            assertThat(source.take().id()).isEqualTo(d11.id()); // now read from the backend
            assertThat(source.take().id()).isEqualTo(d12.id());
            assertThat(source.take().id()).isEqualTo(t13.id());
            assertThat(modes.switches()).isGreaterThanOrEqualTo(3); // to tailing, back to catch-up, tailing again
            assertThat(source.mode()).isEqualTo(ScanModes.Mode.TAILING);
            ImmutableMessage d14 = writeData(14);
            ImmutableMessage t15 = writeTick(15);
            buffer.appendAll(java.util.List.of(d14, t15));
            assertThat(source.poll(Duration.ofSeconds(5)).id()).isEqualTo(d14.id()); // evicted again: the backend
            assertThat(source.poll(Duration.ofSeconds(5)).id()).isEqualTo(t15.id());
            assertThat(source.poll(Duration.ofMillis(1))).isNull();
        }
    }

    @Test
    void aScannerThatMissedTheBufferAsksForAPersistedTickAtTheEndOfTheBackend() {
        WriteAheadBuffer<ImmutableMessage> buffer =
                new WriteAheadBuffer<>(1, Duration.ofMinutes(1), ImmutableMessage::estimateSize);
        writeTick(10); // in the backend, but the buffer has moved on
        buffer.append(MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build().withTimeTick(20)
                .withNotPersisted().withLastConfirmed(firstId).toImmutable(firstId));
        try (SwitchableSource source = source(buffer)) {
            assertThat(source.take().timeTick()).isEqualTo(10);
            assertThat(source.mode()).isEqualTo(ScanModes.Mode.CATCH_UP);
            assertThat(source.poll(Duration.ofMillis(1))).isNull();
            assertThat(persistedTickRequests).isEqualTo(1);
        }
    }
}
