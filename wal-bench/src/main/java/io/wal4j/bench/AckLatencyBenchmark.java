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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * B1 latency: {@code DISK} acknowledgement latency of the file backend under a fixed offered load of {@code rate}
 * appends per second of {@code payload} bytes (run.sh sets the rate to half the maximum B1 throughput it measured just
 * before), from each append's intended send time to its acknowledgement (corrected for coordinated omission). Each
 * iteration sends for {@code runMillis}; the JMH score is only the iteration's wall time; the result is the line
 * starting with {@code HDR B1-ack} printed at the end of the trial. Not thread-safe: one benchmark thread.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class AckLatencyBenchmark {

    @Param({"2000"})
    public long rate;

    @Param({"128"})
    public int payload;

    @Param({"spi", "adaptor"})
    public String layer;

    @Param({"3000"})
    public long runMillis;

    private final Latencies latencies = new Latencies();
    private Path dir;
    private OpenerImpls spiOpener;
    private WALImpls spiWal;
    private Opener opener;
    private WAL wal;
    private MutableMessage message;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchDirs.create("b1-ack");
        message = Payloads.message(payload);
        if (layer.equals("spi")) {
            spiOpener = Backends.fileSpi(dir);
            spiWal = spiOpener.open(Backends.channel());
        } else {
            opener = Backends.fileAdaptor(dir);
            wal = opener.open(Backends.channel());
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        latencies.startIteration(params.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        latencies.endIteration();
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.println(latencies.summary("B1-ack layer=" + layer + " payload=" + payload + " rate=" + rate));
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
    public long send() throws InterruptedException {
        AppendWindow outstanding = new AppendWindow(1 << 20);
        long sent = FixedRateSender.run(rate, TimeUnit.MILLISECONDS.toNanos(runMillis), intended -> {
            acquireQuietly(outstanding);
            CompletableFuture<?> acked = spiWal != null ? spiWal.append(message, Durability.DISK)
                    : wal.appendAsync(message);
            acked.whenComplete((result, error) -> {
                latencies.record(System.nanoTime() - intended);
                outstanding.release().accept(result, error);
            });
        });
        outstanding.drain();
        return sent;
    }

    private static void acquireQuietly(AppendWindow window) {
        try {
            window.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
