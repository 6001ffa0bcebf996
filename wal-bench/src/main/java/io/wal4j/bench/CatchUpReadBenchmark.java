package io.wal4j.bench;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * B5: catch-up read throughput of the file backend over a log of {@code logMiB} MiB of {@code payload}-byte messages
 * that was just written (so it is in the page cache), through the raw SPI or the full adaptor. One operation is one
 * message delivered; a scanner that reaches the end of the log (or waits a second for more) is closed and a new one
 * starts from the beginning. Scores: messages per second; the {@code bytes} counter is payload bytes per second. Not
 * thread-safe: one benchmark thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class CatchUpReadBenchmark {

    @Param({"128", "16384"})
    public int payload;

    @Param({"1024"})
    public long logMiB;

    @Param({"spi", "adaptor"})
    public String layer;

    private Path dir;
    private long messages;
    private long read;
    private int scanners;
    private OpenerImpls spiOpener;
    private WALImpls spiWal;
    private ScannerImpls spiScanner;
    private Opener opener;
    private WAL wal;
    private Scanner scanner;

    /** Payload bytes delivered in the current iteration; JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void write() throws InterruptedException {
        dir = BenchDirs.create("b5");
        try (OpenerImpls writer = Backends.fileSpi(dir); WALImpls log = writer.open(Backends.channel())) {
            messages = LogWriter.fill(log, logMiB << 20, payload);
        }
        System.out.println("B5 log: " + messages + " messages of " + payload + " B, " + BenchDirs.size(dir)
                + " bytes on disk");
        if (layer.equals("spi")) {
            spiOpener = Backends.fileSpi(dir);
            spiWal = spiOpener.open(Backends.channel());
        } else {
            opener = Backends.fileAdaptor(dir);
            wal = opener.open(Backends.channel());
        }
        restart();
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.println("B5 scanners opened: " + scanners);
        closeScanner();
        if (spiWal != null) {
            spiWal.close();
            spiOpener.close();
        } else {
            wal.close();
            opener.close();
        }
        BenchDirs.delete(dir);
    }

    @Benchmark
    public ImmutableMessage next(Counters counters) {
        ImmutableMessage m = spiScanner != null ? spiScanner.poll(Duration.ofSeconds(1)) : scanner.poll(Duration.ofSeconds(1));
        if (m == null || ++read >= messages) {
            restart();
        }
        if (m != null) {
            counters.bytes += m.payloadSize();
        }
        return m;
    }

    private void restart() {
        closeScanner();
        read = 0;
        scanners++;
        String name = "b5-" + scanners;
        if (spiWal != null) {
            spiScanner = spiWal.read(new ReadOptionImpls(name, DeliverPolicy.all(), ReadOption.DEFAULT_READ_AHEAD));
        } else {
            scanner = wal.read(ReadOption.newBuilder().name(name).deliverPolicy(DeliverPolicy.all()).build());
        }
    }

    private void closeScanner() {
        if (spiScanner != null) {
            spiScanner.close();
        }
        if (scanner != null) {
            scanner.close();
        }
    }
}
