package io.wal4j.cli;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Checks a tailing scanner's deliveries: ids strictly increase, each message of this run arrives once, and, once
 * the appends are done, {@linkplain #problems every acknowledged message arrived under the id its append returned}.
 *
 * <p>Not thread-safe: confined to the tailer thread while it reads, then handed over (through a {@code Future}) to
 * the thread that reports.
 */
final class TailCheck {

    private final DemoMessages run;
    private final MessageId[] deliveredIds;
    private final long[] lagNanos;
    private long lastTick = -1;
    private long delivered;
    private long duplicates;
    private long outOfOrder;
    private long earlierRuns;
    private long systemMessages;
    private long lastDeliveryNanos;
    private final List<String> deliveryProblems = new ArrayList<>();

    /**
     * @param run      recognises this run's messages
     * @param messages how many messages the run appends
     */
    TailCheck(DemoMessages run, int messages) {
        this.run = run;
        this.deliveredIds = new MessageId[messages];
        this.lagNanos = new long[messages];
    }

    /**
     * Records one delivered message.
     *
     * @param message  the message the scanner returned
     * @param nowNanos {@link System#nanoTime()} at delivery
     */
    void accept(ImmutableMessage message, long nowNanos) {
        if (message.messageType().isSystem()) {
            // Time ticks and transaction markers are the WAL's own; they are ordered by time tick, not checked here.
            systemMessages++;
            return;
        }
        checkOrder(message);
        if (!run.isOurs(message)) {
            earlierRuns++;
            return;
        }
        OptionalInt seq = DemoMessages.seq(message);
        if (seq.isEmpty() || seq.getAsInt() < 0 || seq.getAsInt() >= deliveredIds.length) {
            problem("message " + message.id() + " of this run carries no valid sequence number: "
                    + message.property(DemoMessages.SEQ));
            return;
        }
        recordDelivery(seq.getAsInt(), message, nowNanos);
    }

    /** A scanner delivers in strictly increasing time tick (the log's logical order; ids may interleave). */
    private void checkOrder(ImmutableMessage message) {
        if (!message.hasTimeTick()) {
            outOfOrder++;
            problem("message " + message.id() + " carries no time tick");
            return;
        }
        long tick = message.timeTick();
        if (lastTick >= 0 && tick <= lastTick) {
            outOfOrder++;
            problem("time tick " + tick + " of " + message.id() + " delivered after time tick " + lastTick);
        }
        lastTick = tick;
    }

    private void recordDelivery(int seq, ImmutableMessage message, long nowNanos) {
        if (deliveredIds[seq] != null) {
            duplicates++;
            problem("message " + seq + " delivered twice: as " + deliveredIds[seq] + " and as " + message.id());
            return;
        }
        deliveredIds[seq] = message.id();
        lagNanos[seq] = nowNanos - DemoMessages.sentNanos(message, nowNanos);
        delivered++;
        lastDeliveryNanos = nowNanos;
    }

    private void problem(String text) {
        // The first few say what went wrong; the counters say how often.
        if (deliveryProblems.size() < 5) {
            deliveryProblems.add(text);
        }
    }

    /** @return how many distinct messages of this run were delivered */
    long delivered() {
        return delivered;
    }

    /** @return how many deliveries repeated a message already delivered */
    long duplicates() {
        return duplicates;
    }

    /** @return how many deliveries had an id not greater than the previous one */
    long outOfOrder() {
        return outOfOrder;
    }

    /** @return how many delivered messages belong to earlier runs on the same channel */
    long earlierRuns() {
        return earlierRuns;
    }

    /** @return how many system messages (time ticks…) the scanner delivered besides the data */
    long systemMessages() {
        return systemMessages;
    }

    /** @return {@link System#nanoTime()} of the last delivery of this run's messages, 0 if none */
    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    /** @return the append-to-delivery latencies of the delivered messages, sorted ascending */
    long[] sortedLagNanos() {
        long[] lags = new long[(int) delivered];
        int i = 0;
        for (int seq = 0; seq < deliveredIds.length; seq++) {
            if (deliveredIds[seq] != null) {
                lags[i++] = lagNanos[seq];
            }
        }
        Arrays.sort(lags);
        return lags;
    }

    /**
     * Compares the deliveries with the acknowledgements; call once every append has completed.
     *
     * @param acknowledged by sequence number, the id each acknowledged append returned (null if it failed)
     * @return what went wrong, empty when every acknowledged message was delivered once, in order, under its id
     */
    List<String> problems(AtomicReferenceArray<MessageId> acknowledged) {
        List<String> problems = new ArrayList<>(deliveryProblems);
        long missing = 0;
        long wrongId = 0;
        for (int seq = 0; seq < deliveredIds.length; seq++) {
            MessageId acked = acknowledged.get(seq);
            MessageId seen = deliveredIds[seq];
            if (acked != null && seen == null) {
                if (missing++ == 0) {
                    problems.add("message " + seq + " acknowledged as " + acked + " but never delivered");
                }
            } else if (acked != null && !acked.equals(seen)) {
                if (wrongId++ == 0) {
                    problems.add("message " + seq + " acknowledged as " + acked + " but delivered as " + seen);
                }
            }
        }
        addCount(problems, missing, "acknowledged messages never delivered");
        addCount(problems, wrongId, "messages delivered under another id than acknowledged");
        addCount(problems, duplicates, "duplicate deliveries");
        addCount(problems, outOfOrder, "deliveries out of time-tick order");
        return problems;
    }

    private static void addCount(List<String> problems, long count, String what) {
        if (count > 0) {
            problems.add(count + " " + what);
        }
    }
}
