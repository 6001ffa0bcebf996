package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.InterceptorBuilder;
import io.wal4j.api.Opener;
import io.wal4j.api.OpenerBuilder;
import io.wal4j.api.WALConfig;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;

import java.util.List;
import java.util.Objects;

/**
 * A backend builder plus an interceptor chain, seen as a user {@link OpenerBuilder}. Stateless and thread-safe; the
 * openers it builds are owned by the caller.
 */
final class OpenerBuilderAdaptor implements OpenerBuilder {

    private final OpenerBuilderImpls impls;
    private final List<InterceptorBuilder> interceptorBuilders;

    OpenerBuilderAdaptor(OpenerBuilderImpls impls, List<InterceptorBuilder> interceptorBuilders) {
        this.impls = impls;
        this.interceptorBuilders = List.copyOf(interceptorBuilders);
    }

    @Override
    public String name() {
        return impls.name();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also checks the adaptor's own keys ({@link AdaptorConfig}) before the backend acquires anything.
     */
    @Override
    public Opener build(WALConfig config) {
        Objects.requireNonNull(config, "config");
        AdaptorConfig adaptorConfig = AdaptorConfig.from(config);
        adaptorConfig.durabilityFor(impls.capabilities());
        OpenerImpls opener = Objects.requireNonNull(impls.build(config), () -> "backend " + impls.name()
                + " returned a null opener");
        // The opener may narrow the builder's capabilities by its configuration (a configured size limit).
        return new OpenerAdaptor(impls.name(), opener, opener.capabilities().orElseGet(impls::capabilities),
                interceptorBuilders, config, adaptorConfig);
    }

    @Override
    public String toString() {
        return "OpenerBuilder{" + impls.name() + ", interceptors=" + interceptorBuilders.size() + "}";
    }
}
