package io.wal4j.bench;

import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

/**
 * The child process of the crash variant of {@link OpenTimeBenchmark}: opens the file backend's channel in the given
 * directory, appends {@code MiB} MiB of {@code payload}-byte messages (acknowledged, the last at {@code DISK}),
 * prints {@value #READY} and then waits forever for its parent to kill it (SIGKILL), so the active segment is left
 * exactly as a crashed writer leaves it: no footer, not sealed.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.wal4j.bench.CrashWriter <dir> <MiB> <payload>}
 */
public final class CrashWriter {

    /** The line printed once every append is acknowledged. */
    static final String READY = "CRASH-WRITER-READY";

    private CrashWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Paths.get(args[0]);
        long mib = Long.parseLong(args[1]);
        int payload = Integer.parseInt(args[2]);
        OpenerImpls opener = Backends.fileSpi(dir);
        WALImpls wal = opener.open(Backends.channel());
        long count = LogWriter.fill(wal, mib << 20, payload);
        System.out.println(READY + " " + count);
        System.out.flush();
        // Never closed: the parent kills this process.
        new CountDownLatch(1).await();
    }
}
