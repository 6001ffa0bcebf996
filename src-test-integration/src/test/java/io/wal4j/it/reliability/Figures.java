package io.wal4j.it.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code FIGURES} line printed by a reliability test, for {@code docs/reliability.md}: the test, then
 * {@code key=value} pairs in insertion order. Not thread-safe; one per test.
 */
final class Figures {

    private final String test;
    private final Map<String, Object> values = new LinkedHashMap<>();

    Figures(String test) {
        this.test = test;
    }

    Figures put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    /** Prints the line to stdout, where Failsafe keeps it in the test's output file. */
    void print() {
        StringBuilder line = new StringBuilder("FIGURES ").append(test);
        values.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
    }
}
