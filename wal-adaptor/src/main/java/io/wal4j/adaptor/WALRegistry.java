package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.InterceptorBuilder;
import io.wal4j.api.OpenerBuilder;
import io.wal4j.api.WALProviderException;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.api.message.MessageIds;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.registry.WALImplsRegistry;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The user-facing registry: turns a backend, found by name or given directly, plus a list of interceptors into a full
 * {@link OpenerBuilder} (the Milvus {@code registry.MustGetBuilder(name, interceptorBuilders...)}).
 *
 * <pre>{@code
 * try (Opener opener = WALRegistry.builder("file").build(WALConfig.fromSystemProperties());
 *      WAL wal = opener.open(OpenOption.readWrite("orders", 1))) {
 *     wal.append(MutableMessage.newBuilder().payload(bytes).build());
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe. Interceptors run in the order given: the first is the outermost.
 */
public final class WALRegistry {

    private WALRegistry() {
    }

    /**
     * Looks a backend up in {@link WALImplsRegistry} and wraps it.
     *
     * @param name                the backend's registered name, e.g. {@code "memory"} or {@code "file"}
     * @param interceptorBuilders the interceptors of every WAL the builder opens, outermost first
     * @return the builder
     * @throws NullPointerException if {@code name}, the array or one of its elements is null
     * @throws WALProviderException if no backend has that name (the message lists the known ones)
     */
    public static OpenerBuilder builder(String name, InterceptorBuilder... interceptorBuilders) {
        Objects.requireNonNull(name, "name");
        List<InterceptorBuilder> builders = checkBuilders(interceptorBuilders);
        return new OpenerBuilderAdaptor(WALImplsRegistry.mustGet(name), builders);
    }

    /**
     * Wraps a backend given directly (programmatic use, tests), without registering it by name. Its message-id codec
     * is registered with {@link MessageIds} so ids stored in messages can be decoded.
     *
     * @param impls               the backend
     * @param interceptorBuilders the interceptors of every WAL the builder opens, outermost first
     * @return the builder
     * @throws NullPointerException if {@code impls}, the array or one of its elements is null
     * @throws WALProviderException if the backend's codec conflicts with one already registered under its name
     */
    public static OpenerBuilder builder(OpenerBuilderImpls impls, InterceptorBuilder... interceptorBuilders) {
        Objects.requireNonNull(impls, "impls");
        List<InterceptorBuilder> builders = checkBuilders(interceptorBuilders);
        MessageIdCodec codec = impls.messageIdCodec();
        if (codec != null) {
            try {
                MessageIds.register(codec);
            } catch (IllegalArgumentException e) {
                throw new WALProviderException("cannot use backend " + impls.getClass().getName() + ": "
                        + e.getMessage(), e);
            }
        }
        return new OpenerBuilderAdaptor(impls, builders);
    }

    private static List<InterceptorBuilder> checkBuilders(InterceptorBuilder[] builders) {
        Objects.requireNonNull(builders, "interceptorBuilders");
        for (int i = 0; i < builders.length; i++) {
            Objects.requireNonNull(builders[i], "interceptorBuilders[" + i + "]");
        }
        return List.copyOf(Arrays.asList(builders));
    }
}
