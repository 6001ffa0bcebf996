package io.wal4j.impls.memory;

import static io.wal4j.impls.memory.MemoryTestUtils.append;
import static io.wal4j.impls.memory.MemoryTestUtils.n;
import static io.wal4j.impls.memory.MemoryTestUtils.openRW;
import static io.wal4j.impls.memory.MemoryTestUtils.opener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The memory backend's own {@code readLast()}: the last acknowledged entry, looked up without a scanner. */
class MemoryReadLastTest {

    private final MemoryOpenerBuilder builder = new MemoryOpenerBuilder();
    private final OpenerImpls opener = opener(builder);

    @AfterEach
    void closeOpener() {
        opener.close();
    }

    @Test
    void anEmptyChannelHasNoLastMessage() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            assertThat(wal.readLast()).isEmpty();
        }
    }

    @Test
    void theLastMessageIsTheLastAppendedWithItsIdPayloadAndProperties() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            append(wal, 0);
            append(wal, 1);
            MessageId last = append(wal, 2);
            ImmutableMessage found = wal.readLast().orElseThrow();
            assertThat(found.id()).isEqualTo(last);
            assertThat(n(found)).isEqualTo(2);
            assertThat(found.property("n")).isEqualTo("2");
        }
    }

    @Test
    void aReadOnlyWALAndALaterWriterSeeTheSameLastMessage() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            append(wal, 0);
            append(wal, 1);
        }
        try (ReadOnlyWALImpls reader = opener.openReadOnly(OpenOption.readOnly("c", 1));
             WALImpls next = openRW(opener, "c", 2)) {
            assertThat(reader.readLast().map(MemoryTestUtils::n)).contains(1L);
            assertThat(next.readLast().map(MemoryTestUtils::n)).contains(1L);
        }
    }

    @Test
    void anAppendWhoseAcknowledgementIsHeldIsNotTheLastMessageUntilReleased() {
        MemoryStore store = builder.store("default");
        try (WALImpls wal = openRW(opener, "c", 1)) {
            append(wal, 0);
            store.holdAcknowledgements();
            CompletableFuture<MessageId> held = wal.append(MemoryTestUtils.message(1), Durability.MEMORY);
            assertThat(wal.readLast().map(MemoryTestUtils::n)).contains(0L);
            store.releaseAcknowledgements();
            assertThat(held).isCompleted();
            assertThat(wal.readLast().map(MemoryTestUtils::n)).contains(1L);
        }
    }

    @Test
    void truncatingEverythingLeavesNoLastMessageAndTheNextAppendIsLast() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            append(wal, 0);
            MessageId second = append(wal, 1);
            wal.truncate(second).join();
            assertThat(wal.readLast()).isEmpty();
            MessageId third = append(wal, 2);
            assertThat(wal.readLast().map(ImmutableMessage::id)).contains(third);
        }
    }

    @Test
    void readLastAfterCloseThrowsWALClosedException() {
        WALImpls wal = openRW(opener, "c", 1);
        append(wal, 0);
        wal.close();
        assertThatThrownBy(wal::readLast).isInstanceOf(WALClosedException.class).hasMessageContaining("c:rw@1");
    }

    @Test
    void readLastAfterASimulatedCrashThrowsTheCrash() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            append(wal, 0);
            builder.store("default").simulateCrash();
            assertThatThrownBy(wal::readLast).isInstanceOf(WALStorageException.class)
                    .hasMessageContaining("simulated crash");
        }
    }

    @Test
    void theOverrideAgreesWithTheDefaultThatScansTheWholeChannel() {
        try (WALImpls wal = openRW(opener, "c", 1)) {
            for (int i = 0; i < 300; i++) {
                append(wal, i);
            }
            wal.truncate(MemoryMessageId.of(41)).join();
            ReadOnlyWALImpls scanning = new ScanningReader(wal);
            Optional<ImmutableMessage> byScan = scanning.readLast();
            assertThat(byScan.map(MemoryTestUtils::n)).contains(299L);
            assertThat(wal.readLast().map(ImmutableMessage::id)).isEqualTo(byScan.map(ImmutableMessage::id));
        }
    }

    /** A reader that keeps the SPI's default {@code readLast()}, which scans the channel from the start. */
    private record ScanningReader(WALImpls wal) implements ReadOnlyWALImpls {
        @Override
        public String walName() {
            return wal.walName();
        }

        @Override
        public PChannelInfo channel() {
            return wal.channel();
        }

        @Override
        public ScannerImpls read(ReadOptionImpls option) {
            return wal.read(option);
        }

        @Override
        public void close() {
            // The test owns the WAL.
        }
    }
}
