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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * B1, paired: the same three variants as {@link DurableAppendBenchmark} ({@code raw} write+force loop at a batch of
 * {@code inFlight}, file {@code spi}, full {@code adaptor}; all at {@code DISK}) but interleaved in short slices: each
 * round runs the three for {@code sliceMillis} each, on fresh files, the starting variant rotating from round to round
 * (a slice that follows another's file deletion, which this file system discards synchronously, is slower, so no
 * variant always takes that place); the round's files are deleted after its three slices. The fsync rate of this shared
 * machine drifts by several times within seconds (other tenants' I/O), so a ratio is only meaningful between
 * measurements taken moments apart: the result is, per round, the ratio of each wal4j variant to the raw loop of
 * the same round, and the median over {@code rounds} rounds, printed as a {@code PAIR B1 …} line (with every round's
 * three rates on a {@code PAIR-ROUNDS} line). A slice's rate is acknowledged records divided by the time from its
 * first submission to its last acknowledgement. The JMH score is only the iteration's wall time. Not thread-safe: one
 * benchmark thread.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 1)
public class PairedDurableBenchmark {

    @Param({"1", "4", "16", "64", "256"})
    public int inFlight;

    @Param({"128", "1024", "16384"})
    public int payload;

    @Param({"10"})
    public int rounds;

    @Param({"500"})
    public long sliceMillis;

    private final List<double[]> measured = new ArrayList<>();
    private boolean measuring;
    private byte[] record;
    private MutableMessage message;

    @Setup(Level.Trial)
    public void prepare() {
        record = Payloads.random(payload);
        message = Payloads.message(payload);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void report() {
        double[] raw = column(0);
        double[] spi = column(1);
        double[] adaptor = column(2);
        double[] spiRatio = new double[measured.size()];
        double[] adaptorRatio = new double[measured.size()];
        StringBuilder rounds = new StringBuilder();
        for (int i = 0; i < measured.size(); i++) {
            spiRatio[i] = spi[i] / raw[i];
            adaptorRatio[i] = adaptor[i] / raw[i];
            rounds.append(String.format(Locale.ROOT, " %.0f/%.0f/%.0f", raw[i], spi[i], adaptor[i]));
        }
        String label = "inFlight=" + inFlight + " payload=" + payload;
        System.out.println(String.format(Locale.ROOT,
                "PAIR B1 %s rounds=%d raw=%.0f spi=%.0f adaptor=%.0f spi/raw=%.2f adaptor/raw=%.2f (records/s, medians)",
                label, measured.size(), median(raw), median(spi), median(adaptor), median(spiRatio),
                median(adaptorRatio)));
        System.out.println("PAIR-ROUNDS B1 " + label + " raw/spi/adaptor:" + rounds);
    }

    @Benchmark
    public int run() throws IOException, InterruptedException {
        long slice = TimeUnit.MILLISECONDS.toNanos(sliceMillis);
        for (int r = 0; r < rounds; r++) {
            double[] rates = new double[3];
            Path[] dirs = new Path[3];
            try {
                for (int i = 0; i < 3; i++) {
                    int variant = (r + i) % 3;
                    dirs[variant] = BenchDirs.create("b1p-" + variant);
                    rates[variant] = slice(variant, dirs[variant], slice);
                }
            } finally {
                for (Path dir : dirs) {
                    BenchDirs.delete(dir);
                }
            }
            if (measuring) {
                measured.add(rates);
            }
        }
        return rounds;
    }

    private double slice(int variant, Path dir, long slice) throws IOException, InterruptedException {
        switch (variant) {
            case 0:
                return raw(dir, slice);
            case 1:
                return spi(dir, slice);
            default:
                return adaptor(dir, slice);
        }
    }

    private double raw(Path dir, long slice) throws IOException {
        try (FileChannel file = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer batch = ByteBuffer.allocateDirect(inFlight * payload);
            long records = 0;
            long start = System.nanoTime();
            long now;
            do {
                batch.clear();
                for (int i = 0; i < inFlight; i++) {
                    batch.put(record);
                }
                batch.flip();
                while (batch.hasRemaining()) {
                    file.write(batch);
                }
                file.force(false);
                records += inFlight;
                now = System.nanoTime();
            } while (now - start < slice);
            return records * 1e9 / (now - start);
        }
    }

    private double spi(Path dir, long slice) throws InterruptedException {
        try (OpenerImpls opener = Backends.fileSpi(dir); WALImpls wal = opener.open(Backends.channel())) {
            return windowed(slice, () -> wal.append(message, Durability.DISK));
        }
    }

    private double adaptor(Path dir, long slice) throws InterruptedException {
        try (Opener opener = Backends.fileAdaptor(dir); WAL wal = opener.open(Backends.channel())) {
            return windowed(slice, () -> wal.appendAsync(message));
        }
    }

    /** Keeps {@code inFlight} appends outstanding for {@code slice}, then waits for the last acknowledgement. */
    private double windowed(long slice, AppendCall call) throws InterruptedException {
        AppendWindow window = new AppendWindow(inFlight);
        long records = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < slice) {
            window.acquire();
            call.append().whenComplete(window.release());
            records++;
        }
        window.drain();
        return records * 1e9 / (System.nanoTime() - start);
    }

    private double[] column(int i) {
        return measured.stream().mapToDouble(rates -> rates[i]).toArray();
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** One asynchronous append. */
    private interface AppendCall {
        CompletableFuture<?> append();
    }
}
