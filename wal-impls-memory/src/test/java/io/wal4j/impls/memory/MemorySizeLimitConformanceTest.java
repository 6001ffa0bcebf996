package io.wal4j.impls.memory;

import io.wal4j.api.WALConfig;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.testkit.WALImplsConformanceTest;

/**
 * The backend kit over an opener with a configured size limit: the opener reports it
 * ({@code OpenerImpls#capabilities()}), the kit checks that it differs from the builder's capabilities in the limit
 * only, and the kit's size check appends a message of exactly that size and sees one byte more refused.
 */
class MemorySizeLimitConformanceTest extends WALImplsConformanceTest {

    @Override
    protected OpenerBuilderImpls newBuilder() {
        return new MemoryOpenerBuilder();
    }

    @Override
    protected WALConfig config() {
        return WALConfig.empty().with(MemoryOpenerBuilder.MAX_MESSAGE_BYTES.name(), "65536");
    }
}
