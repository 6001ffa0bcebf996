package io.wal4j.cli;

import io.wal4j.api.Durability;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The outcome of one demo run: counts, timings, rates and the problems found. Immutable.
 *
 * @param settings          what the run was asked to do
 * @param acknowledged      appends acknowledged
 * @param failed            appends failed
 * @param durabilities      how many acknowledgements reached each level
 * @param appendNanos       from the first append to the last acknowledgement
 * @param delivered         distinct messages of this run the scanner delivered
 * @param earlierRuns       messages of earlier runs the scanner delivered first
 * @param systemMessages    time ticks and other system messages the scanner delivered
 * @param sortedLagNanos    append-to-delivery latencies, ascending
 * @param catchUpNanos      from the last acknowledgement to the last delivery, 0 if the scanner was never behind
 * @param problems          what went wrong; empty for a successful run
 */
record DemoReport(DemoSettings settings, long acknowledged, long failed, Map<Durability, Long> durabilities,
                  long appendNanos, long delivered, long earlierRuns, long systemMessages, long[] sortedLagNanos,
                  long catchUpNanos, List<String> problems) {

    /** Builds the report of a finished run; {@code check} is null when the tailer failed. */
    static DemoReport of(DemoSettings settings, AppendTally tally, TailCheck check, long startNanos,
                         List<String> runProblems) {
        List<String> problems = new ArrayList<>(runProblems);
        if (tally.failed() > 0) {
            problems.add(0, tally.failed() + " of " + settings.messages() + " appends failed; the first with: "
                    + tally.firstFailure());
        }
        long lastAck = tally.lastAckNanos();
        long appendNanos = (lastAck == 0 ? System.nanoTime() : lastAck) - startNanos;
        if (check == null) {
            return new DemoReport(settings, tally.acknowledged(), tally.failed(), tally.durabilities(), appendNanos,
                    0, 0, 0, new long[0], 0, List.copyOf(problems));
        }
        problems.addAll(check.problems(tally.acknowledgedIds()));
        long catchUp = Math.max(0, check.lastDeliveryNanos() - lastAck);
        return new DemoReport(settings, tally.acknowledged(), tally.failed(), tally.durabilities(), appendNanos,
                check.delivered(), check.earlierRuns(), check.systemMessages(), check.sortedLagNanos(), catchUp,
                List.copyOf(problems));
    }

    /** @return whether every message was acknowledged and delivered exactly once, in order */
    boolean succeeded() {
        return problems.isEmpty();
    }

    /** @return acknowledged appends per second */
    double appendsPerSecond() {
        return acknowledged / seconds(appendNanos);
    }

    /** @return acknowledged payload megabytes (10^6 bytes) per second */
    double megabytesPerSecond() {
        return acknowledged * (double) settings.payloadBytes() / 1e6 / seconds(appendNanos);
    }

    /** Prints the summary lines to {@code out}, then the verdict (problems included). */
    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "appended %d of %d messages (%d B payload) from %d threads in %.3f s: "
                        + "%.0f appends/s, %.1f MB/s; durability %s%n",
                acknowledged, settings.messages(), settings.payloadBytes(), settings.threads(), seconds(appendNanos),
                appendsPerSecond(), megabytesPerSecond(), describe(durabilities) + askedIfOther());
        out.printf(Locale.ROOT, "tailed %d messages; tail lag (append to delivery) p50 %s, p99 %s, max %s; "
                        + "caught up %s after the last acknowledgement%n",
                delivered, millis(percentile(0.50)), millis(percentile(0.99)), millis(percentile(1.0)),
                millis(catchUpNanos));
        if (earlierRuns > 0 || systemMessages > 0) {
            out.printf(Locale.ROOT, "also read %d messages of earlier runs and %d system messages (time ticks)%n",
                    earlierRuns, systemMessages);
        }
        if (succeeded()) {
            out.println("OK: the scanner saw every acknowledged message exactly once, in strictly increasing time-tick order");
        } else {
            out.println("FAILED:");
            problems.forEach(p -> out.println("  " + p));
        }
        out.flush();
    }

    /** A backend may acknowledge at a higher level than asked; say so rather than let the output mislead. */
    private String askedIfOther() {
        return settings.durability().filter(asked -> !durabilities.keySet().equals(Set.of(asked)))
                .map(asked -> " (asked " + asked + ")").orElse("");
    }

    private long percentile(double p) {
        if (sortedLagNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sortedLagNanos.length) - 1;
        return sortedLagNanos[Math.max(0, Math.min(sortedLagNanos.length - 1, index))];
    }

    private static String describe(Map<Durability, Long> durabilities) {
        if (durabilities.isEmpty()) {
            return "none reached";
        }
        if (durabilities.size() == 1) {
            return durabilities.keySet().iterator().next().toString();
        }
        return durabilities.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static double seconds(long nanos) {
        // A run always takes some time; the floor keeps the rates finite on a coarse clock.
        return Math.max(nanos, 1) / 1e9;
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
