package io.wal4j.impls.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.InvalidMessageIdException;
import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Properties of {@link MemoryMessageIdCodec} and {@link MemoryMessageId} over arbitrary offsets and bytes. */
class MemoryMessageIdCodecPropertyTest {

    private final MemoryMessageIdCodec codec = new MemoryMessageIdCodec();

    @Property
    void everyNonNegativeOffsetRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long offset) {
        MemoryMessageId id = MemoryMessageId.of(offset);
        assertThat(codec.unmarshal(id.marshal())).isEqualTo(id).hasToString("memory:" + offset);
    }

    @Property
    void marshalledBytesSortLikeTheIds(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long a,
                                       @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long b) {
        MemoryMessageId x = MemoryMessageId.of(a);
        MemoryMessageId y = MemoryMessageId.of(b);
        assertThat(Integer.signum(Arrays.compareUnsigned(x.marshal(), y.marshal())))
                .isEqualTo(Integer.signum(x.compareTo(y)))
                .isEqualTo(Long.signum(Long.compare(a, b)));
    }

    @Property
    void bytesOfAnyOtherLengthAreRejected(@ForAll byte[] bytes) {
        Assume.that(bytes.length != 8);
        assertThatThrownBy(() -> codec.unmarshal(bytes)).isInstanceOf(InvalidMessageIdException.class)
                .hasMessageContaining(bytes.length + " bytes");
    }

    @Property
    void eightBytesDecodeExactlyWhenTheSignBitIsClear(@ForAll byte[] raw) {
        Assume.that(raw.length >= 8);
        byte[] bytes = Arrays.copyOf(raw, 8);
        if (bytes[0] < 0) {
            assertThatThrownBy(() -> codec.unmarshal(bytes)).isInstanceOf(InvalidMessageIdException.class);
        } else {
            assertThat(codec.unmarshal(bytes).marshal()).isEqualTo(bytes);
        }
    }
}
