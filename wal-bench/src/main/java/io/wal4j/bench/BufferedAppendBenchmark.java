package io.wal4j.bench;

import io.wal4j.api.Durability;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.file.Path;
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
 * B2, wal4j side: buffered ({@code OS}: written to the OS, no fsync) append throughput of the file backend through the
 * raw SPI ({@code layer=spi}) and through the full WAL configured with {@code wal.adaptor.durability=OS}
 * ({@code layer=adaptor}), {@code inFlight} appends outstanding, {@code payload} bytes each. The peer is
 * {@link ChronicleAppendBenchmark}, same payloads, same JVM flags, same run. A fresh log per iteration. Not
 * thread-safe: one benchmark thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {Chronicle.NO_ANALYTICS, Chronicle.E1, Chronicle.E2, Chronicle.E3, Chronicle.E4,
        Chronicle.O1, Chronicle.O2, Chronicle.O3, Chronicle.O4, Chronicle.O5, Chronicle.O6, Chronicle.O7})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class BufferedAppendBenchmark {

    @Param({"128", "1024", "16384"})
    public int payload;

    @Param({"256"})
    public int inFlight;

    @Param({"spi", "adaptor"})
    public String layer;

    private Path dir;
    private OpenerImpls opener;
    private WALImpls wal;
    private Opener fullOpener;
    private WAL fullWal;
    private AppendWindow window;
    private MutableMessage message;

    @Setup(Level.Iteration)
    public void open() {
        dir = BenchDirs.create("b2-wal4j");
        message = Payloads.message(payload);
        window = new AppendWindow(inFlight);
        if (layer.equals("spi")) {
            opener = Backends.fileSpi(dir);
            wal = opener.open(Backends.channel());
        } else {
            fullOpener = Backends.fileAdaptor(dir, Durability.OS);
            fullWal = fullOpener.open(Backends.channel());
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws InterruptedException {
        window.drain();
        if (wal != null) {
            wal.close();
            opener.close();
        } else {
            fullWal.close();
            fullOpener.close();
        }
        wal = null;
        fullWal = null;
        BenchDirs.delete(dir);
    }

    @Benchmark
    public void appendOs() throws InterruptedException {
        window.acquire();
        CompletableFuture<?> acked = wal != null ? wal.append(message, Durability.OS) : fullWal.appendAsync(message);
        acked.whenComplete(window.release());
    }
}
