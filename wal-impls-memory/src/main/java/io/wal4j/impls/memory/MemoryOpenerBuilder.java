package io.wal4j.impls.memory;

import io.wal4j.api.ConfigKey;
import io.wal4j.api.Durability;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-memory backend, registered as {@value #NAME} through {@code META-INF/services}: for tests, embedded use and
 * crash simulation. Messages live in {@link MemoryStore}s that belong to this builder instance, one per name
 * ({@value #PREFIX}{@code store}); there is no process-global state. Two openers built by the same builder with the
 * same store name share their channels on purpose; two builders (or two store names) never see each other's data.
 *
 * <p>Configuration keys, all under {@value #PREFIX} and checked with {@link WALConfig#requireKnown}:
 * <ul>
 *   <li>{@link #STORE} {@code wal.memory.store} (default {@code "default"}): the store the opener uses;</li>
 *   <li>{@link #MAX_MESSAGE_BYTES} {@code wal.memory.max-message-bytes} (default 16 MiB): the largest message
 *       (payload plus properties) an append accepts.</li>
 * </ul>
 *
 * <p>Thread-safe. Apart from its stores it holds nothing, and its constructor does nothing.
 */
public final class MemoryOpenerBuilder implements OpenerBuilderImpls {

    /** The backend's registry name and the {@code walName} of its ids. */
    public static final String NAME = "memory";

    /** The prefix of every key of this backend. */
    public static final String PREFIX = "wal." + NAME + ".";

    /** The name of the store an opener uses. */
    public static final ConfigKey<String> STORE = ConfigKey.ofString(PREFIX + "store", "default",
            "name of the in-memory store the opener uses; openers of the same builder with the same store name "
                    + "share their channels");

    /** The largest message accepted, in bytes; the default is also {@link Capabilities#maxMessageBytes()}. */
    public static final ConfigKey<Long> MAX_MESSAGE_BYTES = ConfigKey.ofSize(PREFIX + "max-message-bytes",
            16L << 20, 1, Integer.MAX_VALUE,
            "largest message (payload plus properties, UTF-8) an append accepts; larger ones fail with "
                    + "MessageTooLargeException");

    /** Every key of this backend. */
    public static final List<ConfigKey<?>> KEYS = List.of(STORE, MAX_MESSAGE_BYTES);

    static final Capabilities CAPABILITIES = new Capabilities(EnumSet.of(Durability.MEMORY), Durability.MEMORY,
            true, true, true, false, MAX_MESSAGE_BYTES.defaultValue());

    private static final MemoryMessageIdCodec CODEC = new MemoryMessageIdCodec();

    private final ConcurrentMap<String, MemoryStore> stores = new ConcurrentHashMap<>();

    /** Creates a builder with no store yet; for {@link java.util.ServiceLoader}. */
    public MemoryOpenerBuilder() {
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Builds an opener on the store named by {@link #STORE}, creating the store if new. Does no I/O.
     *
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException naming the key for an unknown key under {@value #PREFIX}, a malformed value
     *                                  or a blank store name
     */
    @Override
    public OpenerImpls build(WALConfig config) {
        Objects.requireNonNull(config, "config");
        config.requireKnown(PREFIX, KEYS);
        String storeName = config.get(STORE);
        if (storeName.isBlank()) {
            throw new IllegalArgumentException("invalid value \"" + storeName + "\" for configuration key "
                    + STORE.name() + ": must not be blank (" + STORE.doc() + ")");
        }
        return new MemoryOpener(store(storeName), config.get(MAX_MESSAGE_BYTES));
    }

    /**
     * Returns the store of this builder with the given name, creating it if new: for tests and the crash hook.
     *
     * @param name the store's name, as in {@link #STORE}
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public MemoryStore store(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("store name must not be blank, got \"" + name + "\"");
        }
        return stores.computeIfAbsent(name, MemoryStore::new);
    }

    /** @return the shared, stateless codec of {@link MemoryMessageId}s */
    @Override
    public MessageIdCodec messageIdCodec() {
        return CODEC;
    }

    /**
     * @return durability {@code MEMORY} only, truncation, fencing and read-only WALs, no cross-process readers, and
     *     the default {@link #MAX_MESSAGE_BYTES}
     */
    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String toString() {
        return "MemoryOpenerBuilder{stores=" + stores.keySet() + "}";
    }
}
