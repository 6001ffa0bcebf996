package io.wal4j.spi.registry;

import io.wal4j.spi.OpenerBuilderImpls;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/** Builds provider sources for {@link ProviderTable} tests without touching the global registry. */
final class RegistryTestUtils {

    static final String SERVICES_FILE = "META-INF/services/" + OpenerBuilderImpls.class.getName();

    private RegistryTestUtils() {
    }

    /**
     * A class loader that loads classes like the test's own but whose only {@code OpenerBuilderImpls} services file
     * is one written in {@code dir} with {@code lines}, so the real {@link ServiceLoader} reads exactly them.
     */
    static ClassLoader servicesLoader(Path dir, String... lines) throws IOException {
        Path file = dir.resolve(SERVICES_FILE);
        Files.createDirectories(file.getParent());
        Files.write(file, Arrays.asList(lines), StandardCharsets.UTF_8);
        URL url = file.toUri().toURL();
        return new ClassLoader("test-services", RegistryTestUtils.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return SERVICES_FILE.equals(name) ? Collections.enumeration(List.of(url)) : super.getResources(name);
            }
        };
    }

    /** @return the binary name of a nested test backend, as a services file lists it */
    static String line(Class<?> type) {
        return type.getName();
    }

    /** A provider that hands out {@code builder}. */
    static ServiceLoader.Provider<OpenerBuilderImpls> provider(OpenerBuilderImpls builder) {
        return provider(builder.getClass(), () -> builder);
    }

    /** A provider of {@code type} that creates its builder with {@code factory}, which may throw. */
    static ServiceLoader.Provider<OpenerBuilderImpls> provider(Class<? extends OpenerBuilderImpls> type,
                                                               Supplier<OpenerBuilderImpls> factory) {
        return new ServiceLoader.Provider<>() {
            @Override
            public Class<? extends OpenerBuilderImpls> type() {
                return type;
            }

            @Override
            public OpenerBuilderImpls get() {
                return factory.get();
            }
        };
    }

    /** A provider whose creation fails like a ServiceLoader's does when the constructor throws. */
    static ServiceLoader.Provider<OpenerBuilderImpls> failing(Class<? extends OpenerBuilderImpls> type,
                                                              RuntimeException constructorFailure) {
        return provider(type, () -> {
            throw new ServiceConfigurationError("Provider " + type.getName() + " could not be instantiated",
                    constructorFailure);
        });
    }

    /** A source over a fixed list of providers. */
    @SafeVarargs
    static ProviderSource sourceOf(ServiceLoader.Provider<OpenerBuilderImpls>... providers) {
        List<ServiceLoader.Provider<OpenerBuilderImpls>> list = List.of(providers);
        return list::iterator;
    }

    /** An iterator whose {@code next} throws for the entries that are null in {@code entries}, then goes on. */
    static ProviderSource sourceWithLookupErrors(List<ServiceLoader.Provider<OpenerBuilderImpls>> entries) {
        return () -> new Iterator<>() {
            private int index;

            @Override
            public boolean hasNext() {
                return index < entries.size();
            }

            @Override
            public ServiceLoader.Provider<OpenerBuilderImpls> next() {
                ServiceLoader.Provider<OpenerBuilderImpls> next = entries.get(index++);
                if (next == null) {
                    throw new ServiceConfigurationError("entry " + (index - 1) + " cannot be looked up");
                }
                return next;
            }
        };
    }

    /** @return where {@code type} was loaded from, as the registry prints it */
    static String location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation().toString();
    }
}
