package io.wal4j.impls.file;

import io.wal4j.api.WALConfig;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.testkit.WALImplsConformanceTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract kit, run on the file backend with a fresh root directory per test. */
class FileWALImplsConformanceTest extends WALImplsConformanceTest {

    @TempDir
    Path dir;

    @Override
    protected OpenerBuilderImpls newBuilder() {
        return new FileOpenerBuilder();
    }

    @Override
    protected WALConfig config() {
        // Small segments so the kit's runs cross segment rolls; a short poll so read-only readers keep up.
        return WALConfig.of(Map.of(FileConfig.DIR.name(), dir.toString(),
                FileConfig.SEGMENT_BYTES.name(), "16KiB",
                FileConfig.READER_POLL_INTERVAL.name(), "10ms"));
    }

    /** Truncation drops whole sealed segments only, so a few truncated ids stay readable. */
    @Override
    protected boolean truncationIsExact() {
        return false;
    }
}
