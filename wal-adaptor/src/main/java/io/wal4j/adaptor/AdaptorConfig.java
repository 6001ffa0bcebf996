package io.wal4j.adaptor;

import io.wal4j.api.ConfigKey;
import io.wal4j.api.WALConfig;

import java.time.Duration;
import java.util.List;

/**
 * The adaptor's configuration keys (under {@value #PREFIX}) and their values as read from a {@link WALConfig}.
 * Immutable and thread-safe.
 */
public final class AdaptorConfig {

    /** Every adaptor key starts with this prefix; unknown keys under it are refused at build. */
    public static final String PREFIX = "wal.adaptor.";

    /** The first delay before a failed backend append is retried. */
    public static final ConfigKey<Duration> APPEND_RETRY_INITIAL = ConfigKey.ofDuration(PREFIX + "append-retry-initial",
            Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofMinutes(1),
            "first delay before retrying a backend append that failed transiently; doubles up to append-retry-max");

    /** The longest delay between retries of a failed backend append. */
    public static final ConfigKey<Duration> APPEND_RETRY_MAX = ConfigKey.ofDuration(PREFIX + "append-retry-max",
            Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofHours(1),
            "longest delay between retries of a backend append; retries go on until close, fence, cancel or deadline");

    /** Every key of the adaptor. */
    public static final List<ConfigKey<?>> KEYS = List.of(APPEND_RETRY_INITIAL, APPEND_RETRY_MAX);

    private final Duration appendRetryInitial;
    private final Duration appendRetryMax;

    private AdaptorConfig(Duration appendRetryInitial, Duration appendRetryMax) {
        this.appendRetryInitial = appendRetryInitial;
        this.appendRetryMax = appendRetryMax;
    }

    /**
     * Reads and checks the adaptor's keys.
     *
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException naming the key when a key under {@value #PREFIX} is unknown or malformed, or
     *                                  when the initial retry delay exceeds the maximum
     */
    public static AdaptorConfig from(WALConfig config) {
        config.requireKnown(PREFIX, KEYS);
        Duration initial = config.get(APPEND_RETRY_INITIAL);
        Duration max = config.get(APPEND_RETRY_MAX);
        if (initial.compareTo(max) > 0) {
            throw new IllegalArgumentException(APPEND_RETRY_INITIAL.name() + " (" + initial + ") exceeds "
                    + APPEND_RETRY_MAX.name() + " (" + max + ")");
        }
        return new AdaptorConfig(initial, max);
    }

    /** @return the first retry delay of a backend append */
    public Duration appendRetryInitial() {
        return appendRetryInitial;
    }

    /** @return the longest retry delay of a backend append */
    public Duration appendRetryMax() {
        return appendRetryMax;
    }

    @Override
    public String toString() {
        return "AdaptorConfig{appendRetryInitial=" + appendRetryInitial + ", appendRetryMax=" + appendRetryMax + "}";
    }
}
