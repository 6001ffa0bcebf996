package io.wal4j.bench;

import io.wal4j.api.Durability;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.WALImpls;

/** Fills a file-backend WAL quickly for the read and open benchmarks. Stateless. */
final class LogWriter {

    private LogWriter() {
    }

    /**
     * Appends {@code payload}-byte messages until {@code bytes} of payload are written: {@code OS} appends, 1,024 in
     * flight, then one {@code DISK} append so everything before it is on disk too.
     *
     * @return the number of messages appended
     * @throws IllegalStateException if an append fails
     * @throws InterruptedException  if interrupted
     */
    static long fill(WALImpls wal, long bytes, int payload) throws InterruptedException {
        MutableMessage message = Payloads.message(payload);
        AppendWindow window = new AppendWindow(1024);
        long count = Math.max(1, bytes / payload);
        for (long i = 0; i < count - 1; i++) {
            window.acquire();
            wal.append(message, Durability.OS).whenComplete(window.release());
        }
        window.acquire();
        wal.append(message, Durability.DISK).whenComplete(window.release());
        window.drain();
        return count;
    }
}
