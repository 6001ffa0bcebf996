package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Storage} over the real file system that counts operations and injects faults: forces that block or
 * fail, writes that fail (ENOSPC) or are torn, and a simulated power loss that drops every byte not forced.
 * Thread-safe.
 */
final class FaultyStorage implements Storage {

    private final Storage real = Storage.real();
    private final Map<Path, Long> durable = new ConcurrentHashMap<>();
    private final Map<Path, AtomicInteger> reads = new ConcurrentHashMap<>();
    final AtomicInteger forces = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final Semaphore forceEntered = new Semaphore(0);
    private volatile CountDownLatch forceGate;
    private volatile IOException forceFailure;
    private volatile IOException writeFailure;
    private volatile int tornWriteKeep = -1;
    private volatile long forceLatencyNanos;
    private volatile boolean crashed;

    /** Makes every later force wait until {@link #releaseForces()}; each arrival releases a permit of
     * {@link #forceEntered}. */
    Release blockForces() {
        forceEntered.drainPermits();
        forceGate = new CountDownLatch(1);
        return this::releaseForces;
    }

    /** Releases blocked forces when closed, so a failing test does not leave a writer stuck in a force. */
    interface Release extends AutoCloseable {
        @Override
        void close();
    }

    void releaseForces() {
        CountDownLatch gate = forceGate;
        forceGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Makes every later force take at least {@code latency}, like a slow disk. */
    void slowForces(java.time.Duration latency) {
        forceLatencyNanos = latency.toNanos();
    }

    void failForces(IOException e) {
        forceFailure = e;
    }

    void failWrites(IOException e) {
        writeFailure = e;
    }

    /** The next write to a segment keeps only {@code keep} bytes, then fails. */
    void tearNextWrite(int keep) {
        tornWriteKeep = keep;
    }

    /** @return how many reads went to files whose name is {@code name} */
    int readsOf(String name) {
        return reads.entrySet().stream().filter(e -> e.getKey().getFileName().toString().equals(name))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /**
     * Simulates a power loss: every file written through this storage is cut back to what was last forced, and
     * every later operation fails.
     */
    void powerLoss() throws IOException {
        crashed = true;
        releaseForces();
        for (Map.Entry<Path, Long> e : durable.entrySet()) {
            if (Files.exists(e.getKey())) {
                try (FileChannel ch = FileChannel.open(e.getKey(), StandardOpenOption.WRITE)) {
                    if (ch.size() > e.getValue()) {
                        ch.truncate(e.getValue());
                    }
                }
            }
        }
    }

    private void checkAlive() throws IOException {
        if (crashed) {
            throw new IOException("simulated power loss");
        }
    }

    @Override
    public StorageFile open(Path path, boolean write) throws IOException {
        checkAlive();
        if (write) {
            durable.putIfAbsent(path, Files.exists(path) ? Files.size(path) : 0L);
        }
        return new Faulty(path, real.open(path, write));
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        checkAlive();
        real.forceDirectory(dir);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        checkAlive();
        real.move(from, to);
        Long size = durable.remove(from);
        if (size != null) {
            durable.put(to, size);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        checkAlive();
        real.delete(path);
        durable.remove(path);
    }

    private final class Faulty implements StorageFile {
        private final Path path;
        private final StorageFile file;

        Faulty(Path path, StorageFile file) {
            this.path = path;
            this.file = file;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            checkAlive();
            if (writeFailure != null) {
                throw writeFailure;
            }
            writes.incrementAndGet();
            int keep = tornWriteKeep;
            if (keep >= 0 && path.getFileName().toString().endsWith(SegmentFormat.SEGMENT_SUFFIX)) {
                tornWriteKeep = -1;
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + Math.min(keep, part.remaining()));
                file.writeFully(part, position);
                throw new IOException("simulated torn write after " + keep + " bytes");
            }
            return file.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            checkAlive();
            reads.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            return file.read(dst, position);
        }

        @Override
        public void force() throws IOException {
            checkAlive();
            forceEntered.release();
            CountDownLatch gate = forceGate;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while blocked", e);
                }
            }
            checkAlive();
            if (forceFailure != null) {
                throw forceFailure;
            }
            long size = file.size();
            long slowUntil = System.nanoTime() + forceLatencyNanos;
            file.force();
            for (long left = slowUntil - System.nanoTime(); left > 0; left = slowUntil - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
            forces.incrementAndGet();
            durable.put(path, size);
        }

        @Override
        public long size() throws IOException {
            checkAlive();
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            checkAlive();
            file.truncate(size);
            durable.computeIfPresent(path, (p, d) -> Math.min(d, size));
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
