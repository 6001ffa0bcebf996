package io.wal4j.cli;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Builds the demo's messages and reads back what identifies them. Each message carries the run's id, its sequence
 * number within the run and the {@link System#nanoTime()} at which it was handed to the WAL, as properties; the
 * payload is filler of the requested size. Not thread-safe: one instance per appender thread, which lets every
 * message share one payload array instead of copying it.
 */
final class DemoMessages {

    /** The run a message belongs to: a channel may hold messages of earlier runs. */
    static final String RUN = "demo.run";
    /** The message's sequence number within its run, in {@code [0, messages)}. */
    static final String SEQ = "demo.seq";
    /** {@link System#nanoTime()} when the message was handed to the WAL; valid within this JVM only. */
    static final String SENT_NANOS = "demo.sent-ns";

    private final String runId;
    private final MutableMessage.Builder builder;

    /**
     * @param runId        the id of this run
     * @param payloadBytes the payload size, {@code >= 0}
     */
    DemoMessages(String runId, int payloadBytes) {
        this.runId = runId;
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'w');
        // payload(...) copies once here; build() then shares that copy with every message.
        this.builder = MutableMessage.newBuilder().payload(payload).property(RUN, runId);
    }

    /** @return the message of sequence number {@code seq}, stamped as sent at {@code sentNanos} */
    MutableMessage build(int seq, long sentNanos) {
        return builder.property(SEQ, Integer.toString(seq)).property(SENT_NANOS, Long.toString(sentNanos)).build();
    }

    /** @return whether {@code message} belongs to this run */
    boolean isOurs(ImmutableMessage message) {
        return runId.equals(message.property(RUN));
    }

    /** @return the sequence number of one of this run's messages, empty if absent or malformed */
    static OptionalInt seq(ImmutableMessage message) {
        try {
            String text = message.property(SEQ);
            return text == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** @return the send time of one of this run's messages, or {@code fallback} if absent or malformed */
    static long sentNanos(ImmutableMessage message, long fallback) {
        try {
            String text = message.property(SENT_NANOS);
            return text == null ? fallback : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
