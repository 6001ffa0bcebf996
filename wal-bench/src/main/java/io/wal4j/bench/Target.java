package io.wal4j.bench;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One channel of one wal4j backend, open for writing, reached either through the raw SPI or through the full adaptor,
 * behind the two operations the latency benchmarks need: append, and open a tailing scanner. Owns its opener, WAL and
 * scratch directory; {@link #close()} releases all three. Appends and scanner creation are thread-safe (they are the
 * backend's); {@code close} is called once, by the benchmark thread.
 */
abstract class Target implements AutoCloseable {

    /** A tailing scanner, raw or adapted. */
    interface Tail extends AutoCloseable {
        /** @return the next message, or null after {@code timeout} */
        ImmutableMessage poll(Duration timeout);

        @Override
        void close();
    }

    private final Path dir;

    private Target(Path dir) {
        this.dir = dir;
    }

    /**
     * @param name {@code memory-spi}, {@code memory}, {@code file-spi} or {@code file} (the last two at {@code DISK})
     * @return the target, open
     * @throws IllegalArgumentException for another name
     */
    static Target open(String name) {
        switch (name) {
            case "memory-spi":
                return new Spi(null, Backends.memorySpi(), Durability.MEMORY);
            case "memory":
                return new Adapted(null, Backends.memoryAdaptor());
            case "file-spi": {
                Path dir = BenchDirs.create("file-spi");
                return new Spi(dir, Backends.fileSpi(dir), Durability.DISK);
            }
            case "file": {
                Path dir = BenchDirs.create("file");
                return new Adapted(dir, Backends.fileAdaptor(dir));
            }
            default:
                throw new IllegalArgumentException("unknown target \"" + name
                        + "\"; expected memory-spi, memory, file-spi or file");
        }
    }

    /** Appends asynchronously at the target's durability; the future completes when acknowledged. */
    abstract CompletableFuture<?> append(MutableMessage message);

    /** @return a scanner that delivers only what is appended from now on */
    abstract Tail tail(String name);

    abstract void closeWAL();

    @Override
    public final void close() {
        try {
            closeWAL();
        } finally {
            BenchDirs.delete(dir);
        }
    }

    private static final class Spi extends Target {
        private final OpenerImpls opener;
        private final WALImpls wal;
        private final Durability durability;

        Spi(Path dir, OpenerImpls opener, Durability durability) {
            super(dir);
            this.opener = opener;
            this.wal = opener.open(Backends.channel());
            this.durability = durability;
        }

        @Override
        CompletableFuture<?> append(MutableMessage message) {
            return wal.append(message, durability);
        }

        @Override
        Tail tail(String name) {
            ScannerImpls scanner = wal.read(new ReadOptionImpls(name, DeliverPolicy.latest(),
                    ReadOption.DEFAULT_READ_AHEAD));
            return new Tail() {
                @Override
                public ImmutableMessage poll(Duration timeout) {
                    return scanner.poll(timeout);
                }

                @Override
                public void close() {
                    scanner.close();
                }
            };
        }

        @Override
        void closeWAL() {
            wal.close();
            opener.close();
        }
    }

    private static final class Adapted extends Target {
        private final Opener opener;
        private final WAL wal;

        Adapted(Path dir, Opener opener) {
            super(dir);
            this.opener = opener;
            this.wal = opener.open(Backends.channel());
        }

        @Override
        CompletableFuture<?> append(MutableMessage message) {
            return wal.appendAsync(message);
        }

        @Override
        Tail tail(String name) {
            Scanner scanner = wal.read(ReadOption.newBuilder().name(name).deliverPolicy(DeliverPolicy.latest())
                    .build());
            return new Tail() {
                @Override
                public ImmutableMessage poll(Duration timeout) {
                    return scanner.poll(timeout);
                }

                @Override
                public void close() {
                    scanner.close();
                }
            };
        }

        @Override
        void closeWAL() {
            wal.close();
            opener.close();
        }
    }
}
