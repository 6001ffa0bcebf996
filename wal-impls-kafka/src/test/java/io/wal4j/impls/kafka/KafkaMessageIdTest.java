package io.wal4j.impls.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KafkaMessageIdTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 255, 256, 1L << 40, Long.MAX_VALUE})
    void idsRoundTripThroughTheServiceLoadedCodec(long offset) {
        KafkaMessageId id = KafkaMessageId.of(offset);
        MessageId decoded = MessageIds.unmarshal("kafka", id.marshal());
        assertThat(decoded).isEqualTo(id).hasSameHashCodeAs(id);
        assertThat(((KafkaMessageId) decoded).offset()).isEqualTo(offset);
        assertThat(MessageIds.fromText("kafka", MessageIds.toText(id))).isEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource({"0, 1, -1", "5, 5, 0", "9, 2, 1"})
    void idsOrderByOffset(long a, long b, int sign) {
        assertThat(Integer.signum(KafkaMessageId.of(a).compareTo(KafkaMessageId.of(b)))).isEqualTo(sign);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 9, 16})
    void bytesOfAnotherLengthAreRefusedWithInvalidMessageIdException(int length) {
        assertThatThrownBy(() -> new KafkaMessageIdCodec().unmarshal(new byte[length]))
                .isInstanceOf(InvalidMessageIdException.class).hasMessageContaining(length + " bytes");
    }

    @Test
    void aNegativeOffsetIsRefused() {
        byte[] negative = {(byte) 0x80, 0, 0, 0, 0, 0, 0, 1};
        assertThatThrownBy(() -> new KafkaMessageIdCodec().unmarshal(negative))
                .isInstanceOf(InvalidMessageIdException.class).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> KafkaMessageId.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void comparingWithAnotherBackendsIdThrowsIllegalArgumentException() {
        MessageId foreign = new MessageId() {
            @Override
            public String walName() {
                return "other";
            }

            @Override
            public byte[] marshal() {
                return new byte[0];
            }

            @Override
            public int compareTo(MessageId other) {
                return 0;
            }

            @Override
            public String toString() {
                return "other:0";
            }
        };
        assertThatThrownBy(() -> KafkaMessageId.of(1).compareTo(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other:0");
        assertThatThrownBy(() -> KafkaMessageId.require(foreign)).isInstanceOf(InvalidMessageIdException.class);
        assertThatThrownBy(() -> KafkaMessageId.of(1).compareTo(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void printsAsKafkaColonOffset() {
        assertThat(KafkaMessageId.of(42)).hasToString("kafka:42");
        assertThat(KafkaMessageId.of(42).walName()).isEqualTo("kafka");
    }
}
