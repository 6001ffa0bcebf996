package io.wal4j.impls.file;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;

import java.time.Duration;
import java.util.Optional;

/**
 * {@link ReadOnlyWALImpls#readLast()} for the file backend: the log knows its last id, so one scanner positioned
 * there (through the segment index) reads a single record, instead of the default's scan of the whole channel —
 * which made opening a 4 GiB channel read-write take seconds. Stateless.
 */
final class LastRecord {

    /** How long the one read may wait; the record is already on disk, so this only bounds a stalled device. */
    private static final Duration READ_WAIT = Duration.ofSeconds(10);

    private LastRecord() {
    }

    /**
     * @return the record with the largest id of {@code log}, read through {@code wal}, or empty for an empty log
     * @throws io.wal4j.api.WALException what reading the record threw
     */
    static Optional<ImmutableMessage> read(ReadOnlyWALImpls wal, ChannelLog log) {
        long last = log.nextId() - 1;
        if (last < log.firstId()) {
            return Optional.empty();
        }
        try (ScannerImpls scanner = wal.read(new ReadOptionImpls("wal4j-read-last",
                DeliverPolicy.startFrom(FileMessageId.of(last)), 1))) {
            return Optional.ofNullable(scanner.poll(READ_WAIT));
        }
    }
}
