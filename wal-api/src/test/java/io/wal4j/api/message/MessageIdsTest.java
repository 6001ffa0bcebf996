package io.wal4j.api.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.InvalidMessageIdException;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void registeredCodecRoundTripsIdsInBinaryAndTextForm() {
        MessageIds.register(TestMessageId.CODEC);
        TestMessageId id = new TestMessageId("apitest", 1234567890123L);
        assertThat(MessageIds.unmarshal("apitest", id.marshal())).isEqualTo(id);
        assertThat(MessageIds.fromText("apitest", MessageIds.toText(id))).isEqualTo(id);
    }

    @Test
    void unknownBackendFailsListingKnownOnes() {
        MessageIds.register(TestMessageId.CODEC);
        assertThatThrownBy(() -> MessageIds.unmarshal("nosuch", new byte[8]))
                .isInstanceOf(InvalidMessageIdException.class)
                .hasMessageContaining("nosuch").hasMessageContaining("apitest");
    }

    @Test
    void badBytesAndBadTextFailWithInvalidMessageId() {
        MessageIds.register(TestMessageId.CODEC);
        assertThatThrownBy(() -> MessageIds.unmarshal("apitest", new byte[3]))
                .isInstanceOf(InvalidMessageIdException.class).hasMessageContaining("found 3");
        assertThatThrownBy(() -> MessageIds.fromText("apitest", "***"))
                .isInstanceOf(InvalidMessageIdException.class).hasMessageContaining("***");
    }

    @Test
    void aSecondCodecClassUnderTheSameNameIsRefused() {
        MessageIds.register(TestMessageId.codec("apitest2"));
        MessageIds.register(TestMessageId.codec("apitest2"));
        MessageIdCodec other = new MessageIdCodec() {
            @Override
            public String walName() {
                return "apitest2";
            }

            @Override
            public MessageId unmarshal(byte[] bytes) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> MessageIds.register(other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apitest2");
    }

    @Test
    void nullArgumentsAreNamed() {
        assertThatThrownBy(() -> MessageIds.unmarshal(null, new byte[0])).hasMessage("walName");
        assertThatThrownBy(() -> MessageIds.unmarshal("x", null)).hasMessage("bytes");
        assertThatThrownBy(() -> MessageIds.register(null)).hasMessage("codec");
    }
}
