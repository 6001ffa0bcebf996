package io.wal4j.adaptor;

import io.wal4j.api.OpenerBuilder;
import io.wal4j.api.WALConfig;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import io.wal4j.testkit.WALConformanceTest;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/**
 * The user-level kit over the memory backend, three ways: with the default write-ahead buffer (scanners tail from
 * memory), without one (scanners always read the backend), and with a one-byte buffer that evicts all the time, so
 * scanners keep falling back from tailing to catch-up.
 */
class MemoryWALConformanceTest {

    private static OpenerBuilder memory() {
        return WALRegistry.builder(new MemoryOpenerBuilder());
    }

    @Nested
    class WithTheDefaultBuffer extends WALConformanceTest {
        @Override
        protected OpenerBuilder newBuilder() {
            return memory();
        }
    }

    @Nested
    class WithoutABuffer extends WALConformanceTest {
        @Override
        protected OpenerBuilder newBuilder() {
            return memory();
        }

        @Override
        protected WALConfig config() {
            return WALConfig.of(Map.of(AdaptorConfig.BUFFER_BYTES.name(), "0"));
        }
    }

    @Nested
    class WithATinyBufferThatEvictsConstantly extends WALConformanceTest {
        @Override
        protected OpenerBuilder newBuilder() {
            return memory();
        }

        @Override
        protected WALConfig config() {
            return WALConfig.of(Map.of(AdaptorConfig.BUFFER_BYTES.name(), "1"));
        }
    }
}
