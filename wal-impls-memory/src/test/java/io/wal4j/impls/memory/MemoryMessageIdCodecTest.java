package io.wal4j.impls.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.api.message.MessageIds;
import java.nio.ByteBuffer;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryMessageIdCodecTest {

    private final MemoryMessageIdCodec codec = new MemoryMessageIdCodec();

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, 255, 256, 65_535, 1L << 32, Long.MAX_VALUE - 1, Long.MAX_VALUE})
    void unmarshalOfMarshalGivesAnEqualId(long offset) {
        MemoryMessageId id = MemoryMessageId.of(offset);
        MessageId back = codec.unmarshal(id.marshal());
        assertThat(back).isEqualTo(id);
        assertThat(back.compareTo(id)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 9, 16})
    void bytesOfTheWrongLengthThrowInvalidMessageIdException(int length) {
        assertThatThrownBy(() -> codec.unmarshal(new byte[length])).isInstanceOf(InvalidMessageIdException.class)
                .hasMessageContaining("found " + length + " bytes");
    }

    @Test
    void aNegativeOffsetThrowsInvalidMessageIdException() {
        byte[] bytes = ByteBuffer.allocate(8).putLong(-5).array();
        assertThatThrownBy(() -> codec.unmarshal(bytes)).isInstanceOf(InvalidMessageIdException.class)
                .hasMessageContaining("-5");
    }

    @Test
    void nullBytesThrowNullPointerException() {
        assertThatThrownBy(() -> codec.unmarshal(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("bytes");
    }

    @Test
    void unmarshalDoesNotModifyItsInput() {
        byte[] bytes = MemoryMessageId.of(99).marshal();
        byte[] copy = bytes.clone();
        codec.unmarshal(bytes);
        assertThat(bytes).isEqualTo(copy);
    }

    @Test
    void serviceLoaderListsTheCodecSoMessageIdsDecodesMemoryIds() {
        assertThat(ServiceLoader.load(MessageIdCodec.class).stream().map(ServiceLoader.Provider::type))
                .contains(MemoryMessageIdCodec.class);
        MemoryMessageId id = MemoryMessageId.of(1234);
        assertThat(MessageIds.unmarshal("memory", id.marshal())).isEqualTo(id);
        assertThat(MessageIds.fromText("memory", MessageIds.toText(id))).isEqualTo(id);
    }

    @Test
    void walNameIsMemory() {
        assertThat(codec.walName()).isEqualTo("memory");
    }
}
