package io.wal4j.impls.file;

import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.message.MutableMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The on-disk format, version 1 (specified in {@code FORMAT.md}). All integers big-endian.
 *
 * <pre>
 * segment  = header frame* [footer]
 * header   = "WAL4JSEG" u16 version=1 u16 flags=0 i64 baseId i64 createdMillis u32 crc32c(previous 28 bytes)
 * frame    = u32 length  u32 ~length  u32 crc32c(body)  body[length]        (1 &lt;= length &lt;= MAX_BODY_BYTES)
 * body     = u32 payloadLength payload u32 propertyCount (u32 keyLength key u32 valueLength value)*
 *            (properties sorted by key, UTF-8)
 * footer   = u32 0xFFFFFFFF "SEAL" i64 count i64 lastId u32 crc32c(all frames) u32 crc32c(previous 28 bytes)
 * </pre>
 * The id of a frame is implicit: {@code baseId + its index in the segment}. A zero-filled region never parses as a
 * frame ({@code length} and {@code ~length} cannot both be 0). Stateless.
 */
final class SegmentFormat {

    static final int VERSION = 1;
    static final byte[] MAGIC = "WAL4JSEG".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = 32;
    static final int FRAME_HEADER_BYTES = 12;
    static final int FOOTER_BYTES = 32;
    /**
     * The longest non-zero prefix a torn write can leave before the zeros of an unforced tail without any record
     * following it: a frame header or a seal footer written only in part (a roll's footer is written, then forced).
     */
    static final int TORN_PREFIX_BYTES = Math.max(FRAME_HEADER_BYTES, FOOTER_BYTES);
    static final int FOOTER_MARKER = 0xFFFFFFFF;
    static final int SEAL = 0x5345414C;
    static final long MAX_MESSAGE_BYTES = 16L << 20;
    static final int MAX_BODY_BYTES = 64 << 20;
    static final String SEGMENT_SUFFIX = ".seg";

    private SegmentFormat() {
    }

    /** @return the file name of the segment starting at {@code baseId} */
    static String fileName(long baseId) {
        return String.format("%020d%s", baseId, SEGMENT_SUFFIX);
    }

    /** @return the base id encoded in a segment file name, or -1 if it is not one */
    static long parseFileName(String name) {
        if (name.length() != 20 + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static ByteBuffer header(long baseId, long createdMillis) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putLong(baseId).putLong(createdMillis);
        b.putInt(crc(b.array(), 0, HEADER_BYTES - 4));
        return b.flip();
    }

    /**
     * @return why the header is invalid for a segment named after {@code baseId}, or null if it is valid
     */
    static String checkHeader(ByteBuffer b, long baseId) {
        if (b.remaining() < HEADER_BYTES) {
            return "segment header is " + b.remaining() + " bytes, expected " + HEADER_BYTES;
        }
        byte[] bytes = new byte[HEADER_BYTES];
        b.duplicate().get(bytes);
        ByteBuffer h = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        h.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            return "bad segment magic " + java.util.HexFormat.of().formatHex(magic);
        }
        int version = h.getShort() & 0xFFFF;
        if (version != VERSION) {
            return "unsupported segment format version " + version + ", expected " + VERSION;
        }
        h.getShort();
        long base = h.getLong();
        h.getLong();
        if (h.getInt() != crc(bytes, 0, HEADER_BYTES - 4)) {
            return "segment header checksum mismatch";
        }
        return base == baseId ? null : "segment header base id " + base + " does not match its name (" + baseId + ")";
    }

    static long headerCreatedMillis(ByteBuffer b) {
        return b.getLong(b.position() + 20);
    }

    static ByteBuffer footer(long count, long lastId, int dataCrc) {
        ByteBuffer b = ByteBuffer.allocate(FOOTER_BYTES);
        b.putInt(FOOTER_MARKER).putInt(SEAL).putLong(count).putLong(lastId).putInt(dataCrc);
        b.putInt(crc(b.array(), 0, FOOTER_BYTES - 4));
        return b.flip();
    }

    /** A parsed, checksum-verified footer. */
    record Footer(long count, long lastId, int dataCrc) {
    }

    /** @return the footer in {@code b}, or null if the bytes are not a valid footer */
    static Footer parseFooter(ByteBuffer b) {
        if (b.remaining() < FOOTER_BYTES) {
            return null;
        }
        byte[] bytes = new byte[FOOTER_BYTES];
        b.duplicate().get(bytes);
        ByteBuffer f = ByteBuffer.wrap(bytes);
        if (f.getInt() != FOOTER_MARKER || f.getInt() != SEAL) {
            return null;
        }
        long count = f.getLong();
        long lastId = f.getLong();
        int dataCrc = f.getInt();
        return f.getInt() == crc(bytes, 0, FOOTER_BYTES - 4) ? new Footer(count, lastId, dataCrc) : null;
    }

    /**
     * Encodes a message as one complete frame.
     *
     * @throws MessageTooLargeException if the message is over {@link #MAX_MESSAGE_BYTES}
     */
    static byte[] encodeFrame(MutableMessage message) {
        Map<String, String> properties = message.properties();
        if (properties.isEmpty()) {
            // The common case, without the sorting and the UTF-8 encoding of properties.
            if (message.payloadSize() > MAX_MESSAGE_BYTES) {
                throw new MessageTooLargeException(message.payloadSize(), MAX_MESSAGE_BYTES);
            }
            int length = 4 + message.payloadSize() + 4;
            ByteBuffer b = ByteBuffer.allocate(FRAME_HEADER_BYTES + length);
            b.position(FRAME_HEADER_BYTES);
            b.putInt(message.payloadSize()).put(message.payloadBuffer()).putInt(0);
            b.putInt(0, length).putInt(4, ~length).putInt(8, crc(b.array(), FRAME_HEADER_BYTES, length));
            return b.array();
        }
        long size = message.estimateSize();
        if (size > MAX_MESSAGE_BYTES) {
            throw new MessageTooLargeException(size, MAX_MESSAGE_BYTES);
        }
        Map<String, byte[][]> props = new TreeMap<>();
        long bodyLength = 4L + message.payloadSize() + 4;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            byte[][] kv = {e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue().getBytes(StandardCharsets.UTF_8)};
            props.put(e.getKey(), kv);
            bodyLength += 8L + kv[0].length + kv[1].length;
        }
        if (bodyLength > MAX_BODY_BYTES) {
            throw new MessageTooLargeException(size, MAX_MESSAGE_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(FRAME_HEADER_BYTES + (int) bodyLength);
        b.position(FRAME_HEADER_BYTES);
        b.putInt(message.payloadSize()).put(message.payloadBuffer()).putInt(props.size());
        for (byte[][] kv : props.values()) {
            b.putInt(kv[0].length).put(kv[0]).putInt(kv[1].length).put(kv[1]);
        }
        int length = (int) bodyLength;
        b.putInt(0, length).putInt(4, ~length).putInt(8, crc(b.array(), FRAME_HEADER_BYTES, length));
        return b.array();
    }

    /**
     * @return the body length announced by a frame header, or -1 if the header is malformed (length and its
     *     complement disagree, or the length is out of range)
     */
    static int bodyLength(ByteBuffer frameHeader) {
        int at = frameHeader.position();
        int length = frameHeader.getInt(at);
        if (length != ~frameHeader.getInt(at + 4) || length < 1 || length > MAX_BODY_BYTES) {
            return -1;
        }
        return length;
    }

    /** @return the checksum a frame header announces for its body */
    static int bodyCrc(ByteBuffer frameHeader) {
        return frameHeader.getInt(frameHeader.position() + 8);
    }

    /** Decoded payload and properties of a body. */
    record Body(byte[] payload, Map<String, String> properties) {
    }

    /**
     * Decodes a verified body.
     *
     * @throws IllegalArgumentException if the body's inner lengths are inconsistent
     */
    static Body decodeBody(ByteBuffer body) {
        try {
            byte[] payload = new byte[checkedLength(body)];
            body.get(payload);
            int count = body.getInt();
            if (count < 0) {
                throw new IllegalArgumentException("negative property count " + count);
            }
            Map<String, String> props = count == 0 ? Map.of() : new TreeMap<>();
            for (int i = 0; i < count; i++) {
                String key = utf8(body);
                props.put(key, utf8(body));
            }
            if (body.hasRemaining()) {
                throw new IllegalArgumentException(body.remaining() + " unexpected bytes after the properties");
            }
            return new Body(payload, props);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("body shorter than its inner lengths", e);
        }
    }

    private static int checkedLength(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("inner length " + n + " exceeds the " + b.remaining()
                    + " bytes left");
        }
        return n;
    }

    private static String utf8(ByteBuffer b) {
        byte[] bytes = new byte[checkedLength(b)];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static int crc(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }
}
