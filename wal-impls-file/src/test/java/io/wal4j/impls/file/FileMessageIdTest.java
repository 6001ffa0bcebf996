package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageIds;
import io.wal4j.spi.OpenerBuilderImpls;
import java.util.ServiceLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FileMessageIdTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, 255, 256, Long.MAX_VALUE})
    void idsMarshalToEightBigEndianBytesAndBack(long sequence) {
        FileMessageId id = FileMessageId.of(sequence);
        byte[] bytes = id.marshal();
        assertThat(bytes).hasSize(8);
        assertThat(bytes[7]).isEqualTo((byte) sequence);
        assertThat(new FileMessageIdCodec().unmarshal(bytes)).isEqualTo(id);
        assertThat(MessageIds.unmarshal("file", bytes)).isEqualTo(id);
        assertThat(id).hasToString("file:" + sequence);
    }

    @Test
    void badBytesAndNegativeNumbersAreRefused() {
        FileMessageIdCodec codec = new FileMessageIdCodec();
        assertThatThrownBy(() -> codec.unmarshal(new byte[7])).isInstanceOf(InvalidMessageIdException.class)
                .hasMessageContaining("7 bytes");
        assertThatThrownBy(() -> codec.unmarshal(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}))
                .isInstanceOf(InvalidMessageIdException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> codec.unmarshal(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FileMessageId.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void idsOrderByNumberAndRefuseForeignIds() {
        assertThat(FileMessageId.of(2)).isGreaterThan(FileMessageId.of(1));
        assertThat(FileMessageId.of(1).isBefore(FileMessageId.of(2))).isTrue();
        io.wal4j.api.message.MessageId foreign = new io.wal4j.api.message.MessageId() {
            @Override
            public String walName() {
                return "memory";
            }

            @Override
            public byte[] marshal() {
                return new byte[0];
            }

            @Override
            public int compareTo(io.wal4j.api.message.MessageId other) {
                return 0;
            }
        };
        assertThatThrownBy(() -> FileMessageId.of(1).compareTo(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory");
    }

    @Test
    void theBackendIsRegisteredAsFileWithServiceLoader() {
        assertThat(ServiceLoader.load(OpenerBuilderImpls.class).stream().map(ServiceLoader.Provider::get)
                .filter(b -> b.name().equals("file")).findFirst()).get().isInstanceOf(FileOpenerBuilder.class);
        FileOpenerBuilder builder = new FileOpenerBuilder();
        assertThat(OpenerBuilderImpls.VALID_NAME.matcher(builder.name()).matches()).isTrue();
        assertThat(builder.messageIdCodec().walName()).isEqualTo("file");
        assertThat(builder.capabilities().durabilities()).containsExactlyInAnyOrder(
                io.wal4j.api.Durability.OS, io.wal4j.api.Durability.DISK);
        assertThat(builder.capabilities().defaultDurability()).isEqualTo(io.wal4j.api.Durability.DISK);
        assertThat(builder.capabilities().truncate()).isTrue();
        assertThat(builder.capabilities().fencing()).isTrue();
        assertThat(builder.capabilities().readOnly()).isTrue();
        assertThat(builder.capabilities().crossProcessReaders()).isTrue();
    }
}
