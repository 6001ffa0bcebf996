package io.wal4j.cli;

import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What one demo run does, validated once here so the command line and tests share the same rules. Immutable.
 *
 * @param backend      the registered backend name
 * @param dir          the file backend's root directory; empty for a fresh temporary one (or a backend without one)
 * @param channel      the channel written and tailed
 * @param messages     how many messages to append, in {@code [1, 20,000,000]}
 * @param threads      how many appender threads, in {@code [1, 1024]}
 * @param payloadBytes the payload size of each message, in {@code [0, 16 MiB]}
 * @param maxInFlight  how many appends each thread may have unacknowledged, {@code >= 1}
 * @param durability   the level asked of every append; empty for the backend's default
 * @param keep         whether to keep a temporary directory after the run
 */
record DemoSettings(String backend, Optional<Path> dir, String channel, int messages, int threads, int payloadBytes,
                    int maxInFlight, Optional<Durability> durability, boolean keep) {

    /** The largest payload the demo builds. */
    static final int MAX_PAYLOAD_BYTES = 16 << 20;
    /** The most messages one run appends: the check keeps a few dozen bytes per message in memory. */
    static final int MAX_MESSAGES = 20_000_000;
    /** The most appender threads the demo starts. */
    static final int MAX_THREADS = 1024;

    /**
     * @throws NullPointerException     if a reference argument is null
     * @throws IllegalArgumentException naming the option and quoting the value when a value is out of range
     */
    DemoSettings {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(durability, "durability");
        PChannelInfo.checkName(channel);
        requireInRange("--messages", messages, 1, MAX_MESSAGES);
        requireInRange("--threads", threads, 1, MAX_THREADS);
        requireInRange("--payload-bytes", payloadBytes, 0, MAX_PAYLOAD_BYTES);
        requireInRange("--max-in-flight", maxInFlight, 1, Integer.MAX_VALUE);
        if (dir.isPresent() && !backend.equals(DemoWorkspace.FILE_BACKEND)) {
            throw new IllegalArgumentException("--dir applies to the " + DemoWorkspace.FILE_BACKEND
                    + " backend only, not to " + backend + " (got --dir " + dir.get() + ")");
        }
    }

    private static void requireInRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            String range = max == Integer.MAX_VALUE ? ">= " + min : "between " + min + " and " + max;
            throw new IllegalArgumentException(option + " must be " + range + ", got " + value);
        }
    }
}
