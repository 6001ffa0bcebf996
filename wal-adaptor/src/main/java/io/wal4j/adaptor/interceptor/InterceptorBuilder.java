package io.wal4j.adaptor.interceptor;

/**
 * Builds one {@link Interceptor} per opened WAL. Builders are passed to
 * {@link io.wal4j.adaptor.WALRegistry#builder(String, InterceptorBuilder...)}, live as long as the resulting
 * {@link io.wal4j.api.OpenerBuilder}, and may hold state shared by every WAL they serve; they must be thread-safe
 * because WALs open concurrently.
 */
@FunctionalInterface
public interface InterceptorBuilder {

    /**
     * Builds the interceptor of one WAL. Must not do I/O or block: recover lazily and report it through
     * {@link Interceptor#ready()}.
     *
     * @param param the WAL being opened: channel, configuration, backend, a future of the final WAL
     * @return the interceptor, never null
     * @throws RuntimeException to fail the open; the adaptor then closes what it had opened
     */
    Interceptor build(InterceptorBuildParam param);
}
