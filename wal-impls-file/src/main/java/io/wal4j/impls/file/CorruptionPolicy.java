package io.wal4j.impls.file;

/** What opening a channel does when it finds corruption before the torn tail ({@code wal.file.corruption-policy}). */
public enum CorruptionPolicy {
    /** Fail the open with {@link io.wal4j.api.WALCorruptionException} naming the file and position (default). */
    FAIL,
    /**
     * Keep every record before the first bad byte: copy the bad bytes and every later segment into the channel's
     * {@code quarantine} directory, truncate the log there and report it in the {@link RecoveryReport}.
     */
    TRUNCATE_AND_QUARANTINE
}
