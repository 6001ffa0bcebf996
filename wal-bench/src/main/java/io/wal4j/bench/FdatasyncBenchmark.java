package io.wal4j.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's physical limit, measured in the same run as everything it is compared with: append 4 KiB to a file
 * and fdatasync it ({@code force(false)}), once per operation. Throughput mode gives fdatasyncs per second, sample
 * mode the latency distribution (its p50 and p99 are the "fdatasync latency" and "force p99" of the targets). Not
 * thread-safe: one benchmark thread.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class FdatasyncBenchmark {

    private static final int BLOCK = 4096;

    private Path dir;
    private FileChannel channel;
    private ByteBuffer block;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = BenchDirs.create("fdatasync");
        channel = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        block = ByteBuffer.allocateDirect(BLOCK);
        block.put(Payloads.random(BLOCK));
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        channel.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void rate() throws IOException {
        writeAndSync();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void latency() throws IOException {
        writeAndSync();
    }

    private void writeAndSync() throws IOException {
        block.clear();
        while (block.hasRemaining()) {
            channel.write(block);
        }
        channel.force(false);
    }
}
