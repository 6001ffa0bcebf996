package io.wal4j.impls.file;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What opening a channel for writing found and did: which segments were trusted from their seal footer, which were
 * scanned, and every range of bytes dropped, with why. Immutable and thread-safe.
 *
 * @param channel          the channel
 * @param trustedSegments  sealed segments accepted from header and footer alone, without reading their records
 * @param scannedSegments  segments whose records were read and verified (the unsealed tail, and anything after
 *                         corruption)
 * @param recordsScanned   valid records read while scanning
 * @param drops            every range removed from the log, in file order
 */
public record RecoveryReport(String channel, List<String> trustedSegments, List<String> scannedSegments,
                             long recordsScanned, List<Drop> drops) {

    /** @throws NullPointerException if a list or the channel is null */
    public RecoveryReport {
        Objects.requireNonNull(channel, "channel");
        trustedSegments = List.copyOf(trustedSegments);
        scannedSegments = List.copyOf(scannedSegments);
        drops = List.copyOf(drops);
    }

    /**
     * One range of bytes removed from the log.
     *
     * @param file          the segment file
     * @param position      where the dropped range starts
     * @param bytes         how many bytes were dropped
     * @param records       how many complete records (valid or not) are known to have been in it
     * @param reason        why ({@code torn record}, {@code zero-filled tail}, {@code checksum mismatch}…)
     * @param quarantinedTo where the bytes were copied, when the corruption policy quarantined them
     */
    public record Drop(String file, long position, long bytes, long records, String reason,
                       Optional<String> quarantinedTo) {
        /** @throws NullPointerException if a text or the optional is null */
        public Drop {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(quarantinedTo, "quarantinedTo");
        }
    }

    /** @return the total bytes dropped */
    public long bytesDropped() {
        return drops.stream().mapToLong(Drop::bytes).sum();
    }

    /** @return the total complete records known dropped */
    public long recordsDropped() {
        return drops.stream().mapToLong(Drop::records).sum();
    }

    /** @return whether the log opened exactly as it was left */
    public boolean isClean() {
        return drops.isEmpty();
    }
}
