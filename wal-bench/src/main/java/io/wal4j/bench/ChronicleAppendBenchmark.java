package io.wal4j.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B2, peer side: Chronicle Queue appends of {@code payload} raw bytes per excerpt with its defaults (memory-mapped,
 * buffered, no fsync), one appender on the benchmark thread; compare with {@link BufferedAppendBenchmark}. A fresh
 * queue per iteration. Not thread-safe: one benchmark thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {Chronicle.NO_ANALYTICS, Chronicle.E1, Chronicle.E2, Chronicle.E3, Chronicle.E4,
        Chronicle.O1, Chronicle.O2, Chronicle.O3, Chronicle.O4, Chronicle.O5, Chronicle.O6, Chronicle.O7})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class ChronicleAppendBenchmark {

    @Param({"128", "1024", "16384"})
    public int payload;

    private Path dir;
    private ChronicleQueue queue;
    private ExcerptAppender appender;
    private BytesStore<?, byte[]> bytes;

    @Setup(Level.Iteration)
    public void open() {
        dir = BenchDirs.create("b2-chronicle");
        queue = Chronicle.open(dir);
        appender = queue.createAppender();
        bytes = BytesStore.wrap(Payloads.random(payload));
    }

    @TearDown(Level.Iteration)
    public void close() {
        appender.close();
        queue.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    public void append() {
        appender.writeBytes(bytes);
    }
}
