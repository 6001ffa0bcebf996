package io.wal4j.it;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.OpenerBuilder;
import io.wal4j.api.WALConfig;
import io.wal4j.impls.file.FileOpenerBuilder;
import io.wal4j.testkit.WALConformanceTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The user-level kit over the file backend, each test in its own directory, appends acknowledged at DISK. */
class FileWALConformanceTest extends WALConformanceTest {

    @TempDir
    Path dir;

    @Override
    protected OpenerBuilder newBuilder() {
        return WALRegistry.builder(new FileOpenerBuilder());
    }

    @Override
    protected WALConfig config() {
        return WALConfig.of(Map.of("wal.file.dir", dir.toString()));
    }
}
