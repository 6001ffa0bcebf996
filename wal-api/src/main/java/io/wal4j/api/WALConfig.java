package io.wal4j.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An immutable, string-keyed configuration read through typed {@link ConfigKey}s, like Kafka's configs. Filled from
 * a map, a {@code Properties} file or the system properties. A malformed value fails when it is read (and every
 * backend reads its keys at {@code build}), with the key's name in the message. Thread-safe.
 */
public final class WALConfig {

    /** Keys of system properties taken by {@link #fromSystemProperties()} start with this prefix. */
    public static final String SYSTEM_PROPERTY_PREFIX = "wal.";

    private static final WALConfig EMPTY = new WALConfig(Map.of());

    private final Map<String, String> values;

    private WALConfig(Map<String, String> values) {
        this.values = values;
    }

    /** @return the configuration with no key set: every key reads as its default */
    public static WALConfig empty() {
        return EMPTY;
    }

    /**
     * @throws NullPointerException if the map, a key or a value is null
     */
    public static WALConfig of(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        values.forEach((k, v) -> Objects.requireNonNull(v, () -> "value of configuration key " + k));
        return new WALConfig(Collections.unmodifiableSortedMap(new TreeMap<>(values)));
    }

    /** @return the configuration holding every string entry of {@code properties} */
    public static WALConfig fromProperties(Properties properties) {
        Map<String, String> map = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            map.put(key, properties.getProperty(key));
        }
        return of(map);
    }

    /**
     * Reads a {@code Properties} file.
     *
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public static WALConfig load(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read configuration file " + file, e);
        }
        return fromProperties(properties);
    }

    /** @return the system properties whose keys start with {@value #SYSTEM_PROPERTY_PREFIX} */
    public static WALConfig fromSystemProperties() {
        Properties all = System.getProperties();
        Map<String, String> map = new HashMap<>();
        for (String key : all.stringPropertyNames()) {
            if (key.startsWith(SYSTEM_PROPERTY_PREFIX)) {
                map.put(key, all.getProperty(key));
            }
        }
        return of(map);
    }

    /**
     * @return the value of {@code key}, parsed, or its default when absent
     * @throws IllegalArgumentException naming the key when the value is malformed
     */
    public <T> T get(ConfigKey<T> key) {
        String text = values.get(key.name());
        return text == null ? key.defaultValue() : key.parse(text);
    }

    /** @return the raw text of a key, if set */
    public Optional<String> raw(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** @return a copy with {@code name} set to {@code value} */
    public WALConfig with(String name, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return of(copy);
    }

    /** @return a copy holding this configuration's entries overridden by {@code other}'s */
    public WALConfig merge(WALConfig other) {
        Map<String, String> copy = new HashMap<>(values);
        copy.putAll(other.values);
        return of(copy);
    }

    /** @return every entry whose key starts with {@code prefix}, with the prefix removed */
    public Map<String, String> withPrefix(String prefix) {
        return values.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toUnmodifiableMap(e -> e.getKey().substring(prefix.length()), Map.Entry::getValue));
    }

    /**
     * Checks that every key under {@code prefix} is one of {@code known} and that each known key present parses.
     * Keys listed in {@code passThroughPrefixes} (for example client properties handed to a library) are not checked.
     *
     * @throws IllegalArgumentException naming the first unknown or malformed key and listing the known ones
     */
    public void requireKnown(String prefix, Collection<? extends ConfigKey<?>> known, String... passThroughPrefixes) {
        Set<String> names = known.stream().map(ConfigKey::name).collect(Collectors.toSet());
        for (String key : new TreeSet<>(values.keySet())) {
            if (!key.startsWith(prefix) || names.contains(key) || startsWithAny(key, passThroughPrefixes)) {
                continue;
            }
            throw new IllegalArgumentException("unknown configuration key " + key + "; known keys under " + prefix
                    + ": " + new TreeSet<>(names));
        }
        known.forEach(this::get);
    }

    private static boolean startsWithAny(String key, String[] prefixes) {
        for (String p : prefixes) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** @return every entry, sorted by key */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return "WALConfig" + values;
    }
}
