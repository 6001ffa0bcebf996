package io.wal4j.impls.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.wal4j.api.InvalidMessageIdException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Properties of {@link KafkaMessageIdCodec} and {@link KafkaMessageId} over arbitrary offsets and bytes. */
class KafkaMessageIdCodecPropertyTest {

    private final KafkaMessageIdCodec codec = new KafkaMessageIdCodec();

    @Property
    void everyOffsetRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long offset) {
        KafkaMessageId id = KafkaMessageId.of(offset);
        assertThat(codec.unmarshal(id.marshal())).isEqualTo(id).hasToString("kafka:" + offset);
    }

    @Property
    void marshalledBytesSortLikeTheIds(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long a,
                                       @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long b) {
        assertThat(Integer.signum(Arrays.compareUnsigned(KafkaMessageId.of(a).marshal(), KafkaMessageId.of(b).marshal())))
                .isEqualTo(Integer.signum(KafkaMessageId.of(a).compareTo(KafkaMessageId.of(b))))
                .isEqualTo(Long.signum(Long.compare(a, b)));
    }

    @Property
    void anyBytesDecodeToAnIdThatMarshalsBackToThemOrAreRejected(@ForAll byte[] bytes) {
        Throwable failure = catchThrowable(() -> assertThat(codec.unmarshal(bytes).marshal()).isEqualTo(bytes));
        if (failure != null) {
            assertThat(failure).isInstanceOf(InvalidMessageIdException.class);
            assertThat(bytes.length != 8 || bytes[0] < 0).as("only a wrong length or a negative offset is refused")
                    .isTrue();
        }
    }
}
