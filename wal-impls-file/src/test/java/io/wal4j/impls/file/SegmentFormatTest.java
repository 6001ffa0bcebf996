package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.message.MutableMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SegmentFormatTest {

    private static SegmentFormat.Body roundTrip(MutableMessage message) {
        ByteBuffer frame = ByteBuffer.wrap(SegmentFormat.encodeFrame(message));
        int length = SegmentFormat.bodyLength(frame);
        assertThat(length).isEqualTo(frame.capacity() - SegmentFormat.FRAME_HEADER_BYTES);
        ByteBuffer body = frame.duplicate().position(SegmentFormat.FRAME_HEADER_BYTES).slice();
        assertThat(SegmentFormat.crc(body)).isEqualTo(SegmentFormat.bodyCrc(frame));
        return SegmentFormat.decodeBody(body);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            '',            0
            a,             1
            hello world,   3
            'é€😀 ünïcödé', 2
            """)
    void framesRoundTripPayloadAndProperties(String payload, int properties) {
        MutableMessage.Builder builder = MutableMessage.newBuilder().payload(payload.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < properties; i++) {
            builder.property("key-" + i, payload + i);
        }
        MutableMessage message = builder.build().withTimeTick(42);
        SegmentFormat.Body body = roundTrip(message);
        assertThat(new String(body.payload(), StandardCharsets.UTF_8)).isEqualTo(payload);
        assertThat(body.properties()).isEqualTo(message.properties());
    }

    @Test
    void theEncodingIsCanonicalWhateverThePropertyOrder() {
        MutableMessage ab = MutableMessage.newBuilder().property("a", "1").property("b", "2").build();
        MutableMessage ba = MutableMessage.newBuilder().property("b", "2").property("a", "1").build();
        assertThat(SegmentFormat.encodeFrame(ab)).isEqualTo(SegmentFormat.encodeFrame(ba));
    }

    @Test
    void aMessageOverTheLimitIsRefusedWithItsSize() {
        MutableMessage big = MutableMessage.newBuilder()
                .payload(new byte[(int) SegmentFormat.MAX_MESSAGE_BYTES]).property("k", "v").build();
        assertThatThrownBy(() -> SegmentFormat.encodeFrame(big)).isInstanceOfSatisfying(
                MessageTooLargeException.class, e -> {
                    assertThat(e.size()).isEqualTo(SegmentFormat.MAX_MESSAGE_BYTES + 2);
                    assertThat(e.limit()).isEqualTo(SegmentFormat.MAX_MESSAGE_BYTES);
                });
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "0, -1", "5, 7", "-1, 0", "67108865, -67108866"})
    void malformedFrameHeadersAreRecognised(int length, int complement) {
        ByteBuffer header = ByteBuffer.allocate(SegmentFormat.FRAME_HEADER_BYTES).putInt(length).putInt(complement)
                .putInt(0).flip();
        assertThat(SegmentFormat.bodyLength(header)).isEqualTo(-1);
    }

    @Test
    void headersAndFootersRoundTripAndRejectAnyFlippedByte() {
        ByteBuffer header = SegmentFormat.header(77, 123_456L);
        assertThat(SegmentFormat.checkHeader(header, 77)).isNull();
        assertThat(SegmentFormat.checkHeader(header, 78)).contains("does not match");
        assertThat(SegmentFormat.headerCreatedMillis(header)).isEqualTo(123_456L);
        ByteBuffer footer = SegmentFormat.footer(5, 81, 0xCAFE);
        assertThat(SegmentFormat.parseFooter(footer)).isEqualTo(new SegmentFormat.Footer(5, 81, 0xCAFE));
        for (int i = 0; i < SegmentFormat.HEADER_BYTES; i++) {
            ByteBuffer h = SegmentFormat.header(77, 123_456L);
            h.put(i, (byte) (h.get(i) ^ 1));
            assertThat(SegmentFormat.checkHeader(h, 77)).as("header byte %d", i).isNotNull();
        }
        for (int i = 0; i < SegmentFormat.FOOTER_BYTES; i++) {
            ByteBuffer f = SegmentFormat.footer(5, 81, 0xCAFE);
            f.put(i, (byte) (f.get(i) ^ 1));
            assertThat(SegmentFormat.parseFooter(f)).as("footer byte %d", i).isNull();
        }
    }

    @Test
    void inconsistentInnerLengthsAreRejected() {
        ByteBuffer body = ByteBuffer.allocate(8).putInt(100).putInt(0).flip();
        assertThatThrownBy(() -> SegmentFormat.decodeBody(body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100");
        ByteBuffer trailing = ByteBuffer.allocate(12).putInt(0).putInt(0).putInt(9).flip();
        assertThatThrownBy(() -> SegmentFormat.decodeBody(trailing)).hasMessageContaining("unexpected bytes");
    }

    @ParameterizedTest
    @CsvSource({"0, 00000000000000000000.seg", "42, 00000000000000000042.seg"})
    void segmentFileNamesCarryTheBaseId(long base, String name) {
        assertThat(SegmentFormat.fileName(base)).isEqualTo(name);
        assertThat(SegmentFormat.parseFileName(name)).isEqualTo(base);
    }

    @Test
    void otherFileNamesAreNotSegments() {
        for (String name : Map.of("term", 1, "lock", 1, "0000000000000000000x.seg", 1, "00.seg", 1).keySet()) {
            assertThat(SegmentFormat.parseFileName(name)).as(name).isEqualTo(-1);
        }
    }
}
