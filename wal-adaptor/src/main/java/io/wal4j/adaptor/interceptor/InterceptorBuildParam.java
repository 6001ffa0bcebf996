package io.wal4j.adaptor.interceptor;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.WALImpls;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What every {@link InterceptorBuilder} of one WAL receives. Immutable and thread-safe; the same instance goes to each
 * builder of the chain.
 *
 * @param channel      the channel being opened (read-write)
 * @param config       the configuration the opener was built with; an interceptor reads its own keys from it
 * @param backend      the backend WAL, for interceptors that must read it at recovery; appending to it directly
 *                     bypasses the chain and the WAL's lifetime, so don't
 * @param capabilities what the backend supports
 * @param wal          completed with the final, user-facing WAL once every interceptor is built (so an interceptor can
 *                     append through the whole chain, e.g. a time-tick sync); failed if the open fails
 */
public record InterceptorBuildParam(PChannelInfo channel, WALConfig config, WALImpls backend, Capabilities capabilities,
                                    CompletableFuture<WAL> wal) {

    /** @throws NullPointerException if an argument is null */
    public InterceptorBuildParam {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(wal, "wal");
    }
}
