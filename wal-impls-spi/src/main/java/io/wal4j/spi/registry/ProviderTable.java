package io.wal4j.spi.registry;

import io.wal4j.api.WALProviderException;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.api.message.MessageIds;
import io.wal4j.spi.OpenerBuilderImpls;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state behind {@link WALImplsRegistry}: builders by name plus the providers that failed to load. Tests create
 * their own tables over a custom {@link ProviderSource}, so they never share the global one.
 *
 * <p>Invariants: discovery runs at most once, on the first call of any public method, while holding {@link #lock};
 * every name maps to one builder and never changes once set; codecs are registered with {@link MessageIds} before
 * their builder becomes visible. Reads after discovery are lock-free. Discovery instantiates providers while holding
 * the lock (the only way to make every caller wait for a complete table); a provider's constructor may call the
 * registry from its own thread (the lock is reentrant), but must not wait for another thread that does.
 */
final class ProviderTable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderTable.class);

    /** A source that keeps failing on every entry must not keep discovery looping forever. */
    private static final int MAX_CONSECUTIVE_LOOKUP_ERRORS = 1_000;

    private final ProviderSource source;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, OpenerBuilderImpls> builders = new ConcurrentHashMap<>();
    private final List<LoadFailure> failures = new CopyOnWriteArrayList<>();
    private volatile boolean discovered;
    private boolean discoveryStarted;

    /** @param source where discovery looks, consulted once, on first use */
    ProviderTable(ProviderSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** @see WALImplsRegistry#register */
    void register(OpenerBuilderImpls builder) {
        Objects.requireNonNull(builder, "builder");
        ensureDiscovered();
        // Ask the builder (user code) before taking the lock.
        String name = checkedName(builder);
        MessageIdCodec codec = checkedCodec(builder, name);
        lock.lock();
        try {
            OpenerBuilderImpls existing = builders.get(name);
            if (existing != null) {
                throw duplicate(name, existing, builder);
            }
            registerCodec(builder, codec);
            builders.put(name, builder);
        } finally {
            lock.unlock();
        }
        LOG.debug("registered WAL backend \"{}\": {}", name, describe(builder.getClass()));
    }

    /** @see WALImplsRegistry#find */
    Optional<OpenerBuilderImpls> find(String name) {
        Objects.requireNonNull(name, "name");
        ensureDiscovered();
        return Optional.ofNullable(builders.get(name));
    }

    /** @see WALImplsRegistry#mustGet */
    OpenerBuilderImpls mustGet(String name) {
        Objects.requireNonNull(name, "name");
        ensureDiscovered();
        OpenerBuilderImpls builder = builders.get(name);
        if (builder != null) {
            return builder;
        }
        throw unknown(name);
    }

    /** @see WALImplsRegistry#names */
    Set<String> names() {
        ensureDiscovered();
        return Collections.unmodifiableSortedSet(new TreeSet<>(builders.keySet()));
    }

    /** @return the providers that failed during discovery, in discovery order */
    List<LoadFailure> failures() {
        ensureDiscovered();
        return List.copyOf(failures);
    }

    private void ensureDiscovered() {
        if (discovered) {
            return;
        }
        lock.lock();
        try {
            // A provider constructed during discovery may call back on this thread: let it through.
            if (!discoveryStarted) {
                discoveryStarted = true;
                try {
                    discover();
                } finally {
                    discovered = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void discover() {
        Iterator<ServiceLoader.Provider<OpenerBuilderImpls>> providers;
        try {
            providers = source.providers();
        } catch (ServiceConfigurationError | RuntimeException e) {
            recordFailure(new LoadFailure("<service lookup>", e));
            return;
        }
        int consecutiveErrors = 0;
        while (true) {
            ServiceLoader.Provider<OpenerBuilderImpls> provider;
            try {
                if (!providers.hasNext()) {
                    return;
                }
                provider = providers.next();
                consecutiveErrors = 0;
            } catch (ServiceConfigurationError | RuntimeException e) {
                // A class that is missing, of the wrong type or without a public no-arg constructor: the lookup
                // iterator moves past it, so record it and ask for the next one.
                recordFailure(new LoadFailure(unnamedProvider(e), e));
                if (++consecutiveErrors >= MAX_CONSECUTIVE_LOOKUP_ERRORS) {
                    LOG.error("giving up WAL backend discovery after {} consecutive errors", consecutiveErrors);
                    return;
                }
                continue;
            }
            load(provider);
        }
    }

    private void load(ServiceLoader.Provider<OpenerBuilderImpls> provider) {
        String description = describeProvider(provider);
        try {
            OpenerBuilderImpls builder = provider.get();
            if (builder == null) {
                throw new WALProviderException("provider " + description + " returned null");
            }
            registerDiscovered(builder);
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            recordFailure(new LoadFailure(description, e));
        }
    }

    private void registerDiscovered(OpenerBuilderImpls builder) {
        String name = checkedName(builder);
        OpenerBuilderImpls existing = builders.get(name);
        if (existing != null && existing.getClass() == builder.getClass()) {
            // The same class already registered itself (say from a static initialiser): nothing is in conflict.
            LOG.debug("WAL backend \"{}\" already registered by its own class {}", name, builder.getClass().getName());
            return;
        }
        if (existing != null) {
            throw duplicate(name, existing, builder);
        }
        MessageIdCodec codec = checkedCodec(builder, name);
        registerCodec(builder, codec);
        builders.put(name, builder);
        LOG.debug("discovered WAL backend \"{}\": {}", name, describe(builder.getClass()));
    }

    private void recordFailure(LoadFailure failure) {
        failures.add(failure);
        LOG.warn("WAL backend provider failed to load: {}", failure, failure.cause());
    }

    private static String checkedName(OpenerBuilderImpls builder) {
        String name = builder.name();
        if (name == null) {
            throw new IllegalArgumentException("WAL backend " + describe(builder.getClass())
                    + " has a null name; expected a name matching " + OpenerBuilderImpls.VALID_NAME.pattern());
        }
        if (!OpenerBuilderImpls.VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid WAL backend name \"" + name + "\" of "
                    + describe(builder.getClass()) + ": expected " + OpenerBuilderImpls.VALID_NAME.pattern());
        }
        return name;
    }

    private static MessageIdCodec checkedCodec(OpenerBuilderImpls builder, String name) {
        MessageIdCodec codec = builder.messageIdCodec();
        if (codec == null) {
            throw new WALProviderException("WAL backend \"" + name + "\" (" + describe(builder.getClass())
                    + ") returned a null message id codec");
        }
        String walName = codec.walName();
        if (!name.equals(walName)) {
            throw new WALProviderException("WAL backend \"" + name + "\" (" + describe(builder.getClass())
                    + ") has a message id codec for \"" + walName + "\" (" + codec.getClass().getName()
                    + "); the codec's walName must equal the backend name");
        }
        return codec;
    }

    private static void registerCodec(OpenerBuilderImpls builder, MessageIdCodec codec) {
        try {
            MessageIds.register(codec);
        } catch (IllegalArgumentException e) {
            throw new WALProviderException("cannot register WAL backend \"" + codec.walName() + "\" ("
                    + describe(builder.getClass()) + "): " + e.getMessage(), e);
        }
    }

    private static WALProviderException duplicate(String name, OpenerBuilderImpls existing,
                                                  OpenerBuilderImpls refused) {
        return new WALProviderException("duplicate WAL backend name \"" + name + "\": already registered by "
                + describe(existing.getClass()) + ", refusing " + describe(refused.getClass()));
    }

    private WALProviderException unknown(String name) {
        StringBuilder message = new StringBuilder("no WAL backend named \"").append(name)
                .append("\"; available: ").append(new TreeSet<>(builders.keySet()));
        List<LoadFailure> failed = new ArrayList<>(failures);
        if (failed.isEmpty()) {
            message.append("; no provider failed to load");
        } else {
            message.append("; providers that failed to load: ").append(failed);
        }
        WALProviderException exception = failed.isEmpty()
                ? new WALProviderException(message.toString())
                : new WALProviderException(message.toString(), failed.get(0).cause());
        for (int i = 1; i < failed.size(); i++) {
            exception.addSuppressed(failed.get(i).cause());
        }
        return exception;
    }

    private static String describeProvider(ServiceLoader.Provider<OpenerBuilderImpls> provider) {
        try {
            return describe(provider.type());
        } catch (RuntimeException | LinkageError e) {
            return "<provider of unknown type: " + e + ">";
        }
    }

    private static String unnamedProvider(Throwable lookupError) {
        return "<unloadable provider: " + lookupError.getMessage() + ">";
    }

    /** @return the class name with the jar or directory it came from, the part that tells two builds apart */
    static String describe(Class<?> type) {
        return type.getName() + " (from " + location(type) + ")";
    }

    private static String location(Class<?> type) {
        try {
            ProtectionDomain domain = type.getProtectionDomain();
            CodeSource source = domain == null ? null : domain.getCodeSource();
            URL url = source == null ? null : source.getLocation();
            if (url != null) {
                return url.toString();
            }
        } catch (SecurityException e) {
            // Fall through to the class loader, which is still worth showing.
        }
        ClassLoader loader = type.getClassLoader();
        return "unknown location, class loader " + (loader == null ? "bootstrap" : loader.toString());
    }
}
