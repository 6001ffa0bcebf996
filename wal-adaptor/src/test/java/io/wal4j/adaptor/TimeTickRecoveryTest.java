package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.spi.registry.WALImplsRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

class TimeTickRecoveryTest {

    private OpenerImpls opener;
    private WALImpls backend;

    @BeforeEach
    void open() {
        opener = WALImplsRegistry.mustGet(MemoryOpenerBuilder.NAME).build(WALConfig.of(Map.of(
                MemoryOpenerBuilder.STORE.name(), "recovery-" + UUID.randomUUID())));
        backend = opener.open(OpenOption.readWrite("recovery", 1));
    }

    @AfterEach
    void close() {
        opener.close();
    }

    private MessageId write(MutableMessage message) {
        return backend.append(message, Durability.MEMORY).join();
    }

    @Test
    void anEmptyLogHasNoLastTimeTick() {
        assertThat(TimeTickRecovery.lastTimeTick(backend)).isEmpty();
    }

    @Test
    void theLargestTickSinceTheLastMessagesResumePointIsFoundEvenIfStoredEarlier() {
        MessageId first = write(MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build()
                .withTimeTick(10).withLastConfirmedSelf());
        write(MutableMessage.newBuilder().build().withTimeTick(30).withLastConfirmed(first));
        write(MutableMessage.newBuilder().build().withTimeTick(20).withLastConfirmed(first));
        assertThat(TimeTickRecovery.lastTimeTick(backend)).hasValue(30);
    }

    @Test
    void aLastMessageWithoutTimeTickGivesNothingToRecover() {
        write(MutableMessage.newBuilder().build());
        assertThat(TimeTickRecovery.lastTimeTick(backend)).isEmpty();
    }
}
