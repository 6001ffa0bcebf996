package io.wal4j.spi.registry;

import io.wal4j.spi.OpenerBuilderImpls;
import java.util.Optional;
import java.util.Set;

/**
 * The process-wide registry of storage backends, keyed by {@link OpenerBuilderImpls#name()}.
 *
 * <p><b>Discovery.</b> On the first call of any method, and only then, every provider listed in
 * {@code META-INF/services/io.wal4j.spi.OpenerBuilderImpls} visible to the class loader of this class is loaded, one
 * by one. A provider that cannot be loaded (missing class, no public no-argument constructor, a constructor that
 * throws, an invalid or duplicate name, a bad message id codec) is logged and recorded; the others still load, and
 * {@link #mustGet} lists the failures when a name is not found. Every other caller waits until discovery is complete.
 *
 * <p><b>Registration.</b> {@link #register} adds a builder programmatically, and registers its
 * {@linkplain OpenerBuilderImpls#messageIdCodec() codec} with {@link io.wal4j.api.message.MessageIds} so that ids of
 * this backend can be decoded anywhere by name. A name is bound once and never rebound.
 *
 * <p><b>Thread-safety.</b> Every method is thread-safe; lookups after discovery take no lock. Builders live as long
 * as the process: they are stateless and shared by every caller.
 */
public final class WALImplsRegistry {

    private WALImplsRegistry() {
    }

    /** Lazily created on first use of the registry (class holder idiom); discovery is lazy again inside it. */
    private static final class Global {
        static final ProviderTable TABLE =
                new ProviderTable(ProviderSource.serviceLoader(WALImplsRegistry.class.getClassLoader()));
    }

    /**
     * Registers a backend under its name and registers its message id codec.
     *
     * @param builder the backend's builder; stateless and thread-safe, kept for the life of the process
     * @throws NullPointerException     if {@code builder} is null
     * @throws IllegalArgumentException if its name is null or does not match {@link OpenerBuilderImpls#VALID_NAME}
     *                                  (the message quotes it)
     * @throws io.wal4j.api.WALProviderException if the name is already taken (the message names both classes and
     *                                  the jar or directory each was loaded from), or the codec is null, has another
     *                                  {@code walName}, or conflicts with a codec already registered for that name
     */
    public static void register(OpenerBuilderImpls builder) {
        Global.TABLE.register(builder);
    }

    /**
     * Looks a backend up by name.
     *
     * @param name the backend name, e.g. {@code "file"}
     * @return the builder, or empty when no backend has that name
     * @throws NullPointerException if {@code name} is null
     */
    public static Optional<OpenerBuilderImpls> find(String name) {
        return Global.TABLE.find(name);
    }

    /**
     * Looks a backend up by name, failing loudly when it is missing.
     *
     * @param name the backend name, e.g. {@code "file"}
     * @return the builder, never null
     * @throws NullPointerException if {@code name} is null
     * @throws io.wal4j.api.WALProviderException if no backend has that name; the message lists the available names
     *                                  and every provider that failed to load (class, origin and cause), and the
     *                                  first such failure is its cause
     */
    public static OpenerBuilderImpls mustGet(String name) {
        return Global.TABLE.mustGet(name);
    }

    /** @return the names of every registered backend, sorted; an unmodifiable snapshot */
    public static Set<String> names() {
        return Global.TABLE.names();
    }
}
