package io.wal4j.bench;

import io.wal4j.api.Durability;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * B1: durable records per second, one operation = one record of {@code payload} bytes acknowledged at {@code DISK}
 * (fsynced), one caller thread. Three variants, which JMH runs back to back for each ({@code inFlight},
 * {@code payload}) pair (the last parameter in name order varies fastest), so that a baseline and the wal4j figures it
 * is compared with are measured minutes apart at most on this shared machine:
 * <ul>
 *   <li>{@code raw}: the ceiling. Records are copied into a buffer; every {@code inFlight} records, one
 *       {@code FileChannel.write} and one {@code force(false)} (fdatasync), appending to a plain file as a segment
 *       grows. At {@code inFlight} = 1 it is the naive floor: one force per record.</li>
 *   <li>{@code spi}: the file backend through the raw SPI, {@code append(message, DISK)} with {@code inFlight} appends
 *       outstanding at all times (a sliding window).</li>
 *   <li>{@code adaptor}: the same through the full adaptor ({@code WALRegistry.builder("file")}), whose default
 *       durability for the file backend is {@code DISK}.</li>
 * </ul>
 * For the wal4j variants the score counts submitted appends; at most {@code inFlight} of them are still pending when
 * an iteration ends, and the iteration's tear-down waits for them (a failure fails the benchmark). A fresh file or
 * log per iteration. Not thread-safe: one benchmark thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class DurableAppendBenchmark {

    @Param({"1", "4", "16", "64", "256"})
    public int inFlight;

    @Param({"128", "1024", "16384"})
    public int payload;

    @Param({"raw", "spi", "adaptor"})
    public String variant;

    private Path dir;
    private FileChannel raw;
    private ByteBuffer batch;
    private byte[] record;
    private int buffered;
    private OpenerImpls spiOpener;
    private WALImpls spiWal;
    private Opener opener;
    private WAL wal;
    private AppendWindow window;
    private MutableMessage message;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = BenchDirs.create("b1-" + variant);
        switch (variant) {
            case "raw":
                raw = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                batch = ByteBuffer.allocateDirect(inFlight * payload);
                record = Payloads.random(payload);
                buffered = 0;
                break;
            case "spi":
                message = Payloads.message(payload);
                window = new AppendWindow(inFlight);
                spiOpener = Backends.fileSpi(dir);
                spiWal = spiOpener.open(Backends.channel());
                break;
            case "adaptor":
                message = Payloads.message(payload);
                window = new AppendWindow(inFlight);
                opener = Backends.fileAdaptor(dir);
                wal = opener.open(Backends.channel());
                break;
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException, InterruptedException {
        if (raw != null) {
            raw.close();
            raw = null;
        } else if (spiWal != null) {
            window.drain();
            spiWal.close();
            spiOpener.close();
            spiWal = null;
        } else {
            window.drain();
            wal.close();
            opener.close();
            wal = null;
        }
        BenchDirs.delete(dir);
    }

    @Benchmark
    public void append() throws IOException, InterruptedException {
        if (raw != null) {
            rawAppend();
            return;
        }
        window.acquire();
        CompletableFuture<?> acked = spiWal != null ? spiWal.append(message, Durability.DISK) : wal.appendAsync(message);
        acked.whenComplete(window.release());
    }

    private void rawAppend() throws IOException {
        batch.put(record);
        if (++buffered < inFlight) {
            return;
        }
        batch.flip();
        while (batch.hasRemaining()) {
            raw.write(batch);
        }
        raw.force(false);
        batch.clear();
        buffered = 0;
    }
}
