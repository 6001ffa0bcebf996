package io.wal4j.spi;

import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageIdCodec;
import java.util.regex.Pattern;

/**
 * A backend's entry point, discovered through {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.wal4j.spi.OpenerBuilderImpls}) or registered with
 * {@link io.wal4j.spi.registry.WALImplsRegistry#register}. Implementations are stateless, thread-safe and have a
 * public no-argument constructor when loaded by {@code ServiceLoader}; that constructor must not do I/O.
 */
public interface OpenerBuilderImpls {

    /** The pattern every backend name matches. */
    Pattern VALID_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    /** @return the registry key, matching {@link #VALID_NAME}; also the {@code walName} of this backend's ids */
    String name();

    /**
     * Acquires the backend's resources.
     *
     * @param config the configuration; the backend reads its own keys (under {@code wal.<name>.}) and refuses unknown
     *               ones there with {@link io.wal4j.api.WALConfig#requireKnown}
     * @return a new opener owned by the caller
     * @throws IllegalArgumentException naming the key when a value is unknown or malformed
     * @throws io.wal4j.api.WALStorageException if the resources cannot be acquired
     */
    OpenerImpls build(WALConfig config);

    /** @return the codec of this backend's message ids */
    MessageIdCodec messageIdCodec();

    /** @return what this backend supports */
    Capabilities capabilities();
}
