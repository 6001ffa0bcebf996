package io.wal4j.adaptor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the open scanners of one WAL by mode, for {@link io.wal4j.api.WALMetrics.Details}. Thread-safe.
 */
final class ScanModes {

    /** Where a scanner reads from. */
    enum Mode {
        /** From the backend. */
        CATCH_UP,
        /** From the write-ahead buffer. */
        TAILING
    }

    private final AtomicInteger catchUp = new AtomicInteger();
    private final AtomicInteger tailing = new AtomicInteger();
    private final AtomicInteger switches = new AtomicInteger();

    /** Moves one scanner from {@code from} (null: not counted yet) to {@code to} (null: no longer counted). */
    void move(Mode from, Mode to) {
        if (from == to) {
            return;
        }
        if (from != null) {
            counter(from).decrementAndGet();
        }
        if (to != null) {
            counter(to).incrementAndGet();
        }
        if (from != null && to != null) {
            switches.incrementAndGet();
        }
    }

    int catchUp() {
        return catchUp.get();
    }

    int tailing() {
        return tailing.get();
    }

    /** @return how many catch-up ↔ tailing switches happened */
    int switches() {
        return switches.get();
    }

    private AtomicInteger counter(Mode mode) {
        return mode == Mode.CATCH_UP ? catchUp : tailing;
    }
}
