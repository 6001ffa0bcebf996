package io.wal4j.spi.registry;

import io.wal4j.spi.OpenerBuilderImpls;
import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Where a {@link ProviderTable} discovers builders: normally {@link ServiceLoader}, in tests any sequence of
 * providers. The iterator may throw {@link java.util.ServiceConfigurationError} from {@code hasNext}/{@code next}
 * for one bad entry and still go on with the next, as the {@code ServiceLoader} iterators do.
 */
@FunctionalInterface
interface ProviderSource {

    /** @return a fresh iterator over the providers; called once per table */
    Iterator<ServiceLoader.Provider<OpenerBuilderImpls>> providers();

    /**
     * @param loader the class loader whose {@code META-INF/services/io.wal4j.spi.OpenerBuilderImpls} files are read
     * @return a source backed by {@link ServiceLoader#stream()}, which names each provider class before creating it
     */
    static ProviderSource serviceLoader(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        return () -> ServiceLoader.load(OpenerBuilderImpls.class, loader).stream().iterator();
    }
}
