package io.wal4j.bench;

import io.wal4j.api.message.MutableMessage;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Payloads and messages of the benchmarks: random bytes (so nothing compresses), fixed seed. Stateless. */
final class Payloads {

    private Payloads() {
    }

    /** @return {@code size} pseudo-random bytes, the same for the same size */
    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(size);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** @return a message with a random payload of {@code size} bytes and no user property */
    static MutableMessage message(int size) {
        return MutableMessage.newBuilder().payload(random(size)).build();
    }

    /**
     * @return a message of {@code size} bytes (at least 8) whose first 8 bytes carry {@code stamp}, big-endian: the
     *         intended send time of a latency benchmark
     */
    static MutableMessage stamped(long stamp, int size) {
        byte[] bytes = new byte[Math.max(Long.BYTES, size)];
        ByteBuffer.wrap(bytes).putLong(stamp);
        return MutableMessage.newBuilder().payload(bytes).build();
    }

    /** @return the stamp written by {@link #stamped}, read from a delivered payload */
    static long stampOf(ByteBuffer payload) {
        return payload.getLong(payload.position());
    }
}
