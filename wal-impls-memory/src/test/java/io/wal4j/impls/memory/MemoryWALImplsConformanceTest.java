package io.wal4j.impls.memory;

import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.testkit.WALImplsConformanceTest;

/** Runs the backend conformance kit against the in-memory backend. */
class MemoryWALImplsConformanceTest extends WALImplsConformanceTest {

    @Override
    protected OpenerBuilderImpls newBuilder() {
        return new MemoryOpenerBuilder();
    }
}
