package io.wal4j.bench;

import net.openhft.chronicle.queue.ChronicleQueue;
import java.nio.file.Path;

/**
 * Chronicle Queue, the buffered peer. Its JVM needs the flags below on Java 17 (listed in Chronicle's documentation
 * for Java 11+) and must not try to send analytics (this machine has no internet and the attempt distorts timings).
 * Benchmarks that use it list these constants in {@code @Fork(jvmArgsAppend = …)}. Stateless.
 */
final class Chronicle {

    static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    static final String E1 = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    static final String E2 = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    static final String E3 = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    static final String E4 = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    static final String O1 = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    static final String O2 = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    static final String O3 = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    static final String O4 = "--add-opens=java.base/java.io=ALL-UNNAMED";
    static final String O5 = "--add-opens=java.base/java.util=ALL-UNNAMED";
    static final String O6 = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    static final String O7 = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private Chronicle() {
    }

    /** @return a single-file-per-cycle queue in {@code dir} with Chronicle's defaults (buffered, no fsync) */
    static ChronicleQueue open(Path dir) {
        return ChronicleQueue.singleBuilder(dir).build();
    }
}
