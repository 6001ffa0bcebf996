package io.wal4j.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A documented, typed configuration key with its default. Keys are dotted lower-case names scoped by their owner
 * ({@code wal.file.segment-bytes}); each owner lists its keys so that {@link WALConfig#requireKnown} can refuse
 * unknown ones. Immutable and thread-safe.
 *
 * <p>Text forms accepted: integers in decimal; sizes as a number with an optional unit {@code B, KiB, MiB, GiB}
 * (or {@code k, m, g}, powers of 1024); durations as a number with a unit {@code ms, s, m, h} or ISO-8601
 * ({@code PT5S}); booleans as {@code true}/{@code false}; enums by constant name, case-insensitively.
 *
 * @param <T> the value type
 */
public final class ConfigKey<T> {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-z]*)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final String name;
    private final T defaultValue;
    private final String doc;
    private final Function<String, T> parser;

    private ConfigKey(String name, T defaultValue, String doc, Function<String, T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.parser = parser;
    }

    /** @return a key of an integer in {@code [min, max]} */
    public static ConfigKey<Integer> ofInt(String name, int defaultValue, int min, int max, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, text -> (int) inRange(Long.parseLong(text.trim()), min, max));
    }

    /** @return a key of a long in {@code [min, max]} */
    public static ConfigKey<Long> ofLong(String name, long defaultValue, long min, long max, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, text -> inRange(Long.parseLong(text.trim()), min, max));
    }

    /** @return a key of a byte size in {@code [min, max]} bytes */
    public static ConfigKey<Long> ofSize(String name, long defaultValue, long min, long max, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, text -> inRange(parseSize(text), min, max));
    }

    /** @return a key of a duration in {@code [min, max]} */
    public static ConfigKey<Duration> ofDuration(String name, Duration defaultValue, Duration min, Duration max,
                                                 String doc) {
        return new ConfigKey<>(name, defaultValue, doc, text -> {
            Duration value = parseDuration(text);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        });
    }

    /** @return a key of a boolean */
    public static ConfigKey<Boolean> ofBoolean(String name, boolean defaultValue, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, text -> {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (!t.equals("true") && !t.equals("false")) {
                throw new IllegalArgumentException("expected true or false");
            }
            return Boolean.valueOf(t);
        });
    }

    /** @return a key of free text; {@code defaultValue} may be null for "unset" */
    public static ConfigKey<String> ofString(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, Function.identity());
    }

    /** @return a key of an enum constant, matched case-insensitively */
    public static <E extends Enum<E>> ConfigKey<E> ofEnum(String name, Class<E> type, E defaultValue, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, text -> Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT)));
    }

    /** @return the key's name */
    public String name() {
        return name;
    }

    /** @return the value used when the key is absent; may be null for optional text keys */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return what the key means */
    public String doc() {
        return doc;
    }

    /**
     * @return the parsed value of {@code text}
     * @throws IllegalArgumentException naming the key and the bad value when {@code text} is malformed or out of range
     */
    public T parse(String text) {
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid value \"" + text + "\" for configuration key " + name
                    + ": " + e.getMessage() + " (" + doc + ")", e);
        }
    }

    private static long inRange(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return value;
    }

    private static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 4096, 64KiB or 1GiB");
        }
        long unit = switch (m.group(2)) {
            case "", "b" -> 1L;
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            default -> throw new IllegalArgumentException("unknown size unit \"" + m.group(2) + "\"");
        };
        return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    }

    private static Duration parseDuration(String text) {
        String t = text.trim();
        Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a duration such as 10ms, 5s, 2m or PT1S");
        }
    }

    @Override
    public String toString() {
        return name + " (default " + defaultValue + "): " + doc;
    }
}
