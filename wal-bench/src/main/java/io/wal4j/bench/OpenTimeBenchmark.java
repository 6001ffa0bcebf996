package io.wal4j.bench;

import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
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
 * B6: time to open a channel of the file backend for writing (recovery included) over a log of {@code sizeMiB} MiB
 * of 16 KiB messages, through the raw SPI or the full adaptor. {@code state=clean}: the log was closed properly.
 * {@code state=crash}: before each iteration a child process ({@link CrashWriter}) opens the log, appends
 * {@code crashTailMiB} MiB more and is killed with SIGKILL once they are acknowledged, so the open must recover an
 * unsealed active segment (the log grows by that much per iteration). The log was just written, so it is in the page
 * cache: this is a warm open (dropping the cache would disturb the other users of this shared machine). The score is
 * the time of one open. Not thread-safe: one benchmark thread.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class OpenTimeBenchmark {

    private static final int PAYLOAD = 16384;

    @Param({"100", "1024", "4096"})
    public long sizeMiB;

    @Param({"clean", "crash"})
    public String state;

    @Param({"spi", "adaptor"})
    public String layer;

    @Param({"32"})
    public long crashTailMiB;

    private Path dir;
    private OpenerImpls spiOpener;
    private WALImpls spiWal;
    private Opener opener;
    private ReadOnlyWAL wal;

    @Setup(Level.Trial)
    public void write() throws InterruptedException {
        dir = BenchDirs.create("b6");
        try (OpenerImpls writer = Backends.fileSpi(dir); WALImpls log = writer.open(Backends.channel())) {
            LogWriter.fill(log, sizeMiB << 20, PAYLOAD);
        }
        System.out.println("B6 log: " + BenchDirs.size(dir) + " bytes on disk");
    }

    @Setup(Level.Iteration)
    public void prepare() throws IOException, InterruptedException {
        if (state.equals("crash")) {
            crashWriter();
        }
        if (layer.equals("spi")) {
            spiOpener = Backends.fileSpi(dir);
        } else {
            opener = Backends.fileAdaptor(dir);
        }
    }

    @TearDown(Level.Iteration)
    public void closeWAL() {
        if (spiOpener != null) {
            spiWal.close();
            spiOpener.close();
        } else {
            wal.close();
            opener.close();
        }
        spiOpener = null;
        opener = null;
    }

    @TearDown(Level.Trial)
    public void delete() {
        System.out.println("B6 log at the end: " + BenchDirs.size(dir) + " bytes on disk");
        BenchDirs.delete(dir);
    }

    @Benchmark
    public Object open() {
        if (spiOpener != null) {
            spiWal = spiOpener.open(Backends.channel());
            return spiWal;
        }
        wal = opener.open(Backends.channel());
        return wal;
    }

    private void crashWriter() throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), Long.toString(crashTailMiB), Integer.toString(PAYLOAD)))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith(CrashWriter.READY)) {
                System.out.println("crash writer: " + line);
            }
            if (line == null) {
                throw new IllegalStateException("crash writer exited with " + child.waitFor() + " before " + CrashWriter.READY);
            }
        } finally {
            child.destroyForcibly();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("crash writer did not die within 30 s");
            }
        }
    }
}
