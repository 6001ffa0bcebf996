package io.wal4j.bench;

import io.wal4j.api.Durability;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
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
 * B3: the adaptor's cost per append. The memory backend through the raw SPI ({@code layer=spi}) against the same
 * backend through the full adaptor as {@code WALRegistry.builder(...)} builds it today ({@code layer=adaptor}), with
 * {@code inFlight} appends outstanding. Both sides keep every message (the memory backend has no retention), so each
 * iteration starts on a fresh store. Not thread-safe: one benchmark thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class AdaptorCostBenchmark {

    @Param({"spi", "adaptor"})
    public String layer;

    @Param({"1", "64"})
    public int inFlight;

    @Param({"128"})
    public int payload;

    private OpenerImpls spiOpener;
    private WALImpls spiWal;
    private Opener opener;
    private WAL wal;
    private AppendWindow window;
    private MutableMessage message;

    @Setup(Level.Iteration)
    public void open() {
        message = Payloads.message(payload);
        window = new AppendWindow(inFlight);
        if (layer.equals("spi")) {
            spiOpener = Backends.memorySpi();
            spiWal = spiOpener.open(Backends.channel());
        } else {
            opener = Backends.memoryAdaptor();
            wal = opener.open(Backends.channel());
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws InterruptedException {
        window.drain();
        if (spiWal != null) {
            spiWal.close();
            spiOpener.close();
        } else {
            wal.close();
            opener.close();
        }
        spiWal = null;
        wal = null;
    }

    @Benchmark
    public void append() throws InterruptedException {
        window.acquire();
        CompletableFuture<?> acked = spiWal != null ? spiWal.append(message, Durability.MEMORY)
                : wal.appendAsync(message);
        acked.whenComplete(window.release());
    }
}
