package io.wal4j.impls.file;

import io.wal4j.api.ConfigKey;
import io.wal4j.api.Durability;
import io.wal4j.api.WALConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The file backend's configuration keys (all under {@code wal.file.}) and their validated values. Immutable and
 * thread-safe; {@link #from(WALConfig)} refuses unknown keys under the prefix and malformed values, naming the key.
 */
public final class FileConfig {

    /** The prefix of every key of this backend. */
    public static final String PREFIX = "wal.file.";

    /** Root directory; each channel lives in a sub-directory named after it. Required. */
    public static final ConfigKey<String> DIR = ConfigKey.ofString(PREFIX + "dir", null,
            "root directory of the file backend; one sub-directory per channel (required)");
    /** Durability of {@link FileWAL#append(io.wal4j.api.message.MutableMessage)}, which asks for none. */
    public static final ConfigKey<Durability> DURABILITY = ConfigKey.ofEnum(PREFIX + "durability", Durability.class,
            Durability.DISK,
            "durability of FileWAL.append(message) without a level: OS (written to the OS) or DISK (forced)");
    /** Size at which the active segment is sealed and a new one started. */
    public static final ConfigKey<Long> SEGMENT_BYTES = ConfigKey.ofSize(PREFIX + "segment-bytes", 64L << 20,
            1024, 1L << 30, "size at which a segment rolls");
    /** Age (since its first record) at which the active segment rolls on the next append. */
    public static final ConfigKey<Duration> SEGMENT_AGE = ConfigKey.ofDuration(PREFIX + "segment-age",
            Duration.ofHours(1), Duration.ofMillis(1), Duration.ofDays(3650),
            "age since its first record at which a segment rolls (checked on append)");
    /** Most bytes the writer puts in one write + force. */
    public static final ConfigKey<Long> BATCH_BYTES = ConfigKey.ofSize(PREFIX + "batch-bytes", 1L << 20,
            1024, 256L << 20, "most bytes written by one group commit");
    /** How long the writer waits for a batch to fill before writing it; 0 writes as soon as the queue drains. */
    public static final ConfigKey<Duration> BATCH_MAX_DELAY = ConfigKey.ofDuration(PREFIX + "batch-max-delay",
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
            "longest wait for a group commit to fill up to batch-bytes; 0 = natural batching");
    /**
     * Longest wait of a group commit for the appenders that the previous forced one acknowledged, so that a window
     * of appends (or a thread per synchronous append) is forced together instead of split over two forces; the
     * writer waits at most half the recent force time (less after waits that timed out), and not at all after an
     * unforced batch.
     */
    public static final ConfigKey<Duration> BATCH_SETTLE_MAX = ConfigKey.ofDuration(PREFIX + "batch-settle-max",
            Duration.ofMillis(5), Duration.ZERO, Duration.ofSeconds(1),
            "longest wait of a group commit for the appenders the previous force acknowledged (at most half the "
                    + "recent force time); 0 = take what is queued at once");
    /** Most appends queued for the writer; a full queue blocks appenders. */
    public static final ConfigKey<Integer> QUEUE_MESSAGES = ConfigKey.ofInt(PREFIX + "queue-messages", 8192,
            1, 1 << 24, "most appends waiting for the writer (back-pressure beyond)");
    /** Most bytes queued for the writer; a full queue blocks appenders. */
    public static final ConfigKey<Long> QUEUE_BYTES = ConfigKey.ofSize(PREFIX + "queue-bytes", 64L << 20,
            1024, 1L << 34, "most bytes waiting for the writer (back-pressure beyond)");
    /** Bytes between two entries of the in-memory sparse index. */
    public static final ConfigKey<Long> INDEX_INTERVAL_BYTES = ConfigKey.ofSize(PREFIX + "index-interval-bytes",
            4096, 64, 1L << 30, "bytes of records between two sparse index entries");
    /** What open does with corruption before the tail. */
    public static final ConfigKey<CorruptionPolicy> CORRUPTION_POLICY = ConfigKey.ofEnum(PREFIX
            + "corruption-policy", CorruptionPolicy.class, CorruptionPolicy.FAIL,
            "FAIL or TRUNCATE_AND_QUARANTINE when corruption is found before the torn tail");
    /** How often a read-only WAL looks for data written by another process. */
    public static final ConfigKey<Duration> READER_POLL_INTERVAL = ConfigKey.ofDuration(PREFIX
            + "reader-poll-interval", Duration.ofMillis(100), Duration.ofMillis(1), Duration.ofMinutes(10),
            "how often a read-only WAL at the end of the log re-reads the directory for new records");

    /** The most bytes the log keeps; older sealed segments are deleted as new ones roll. */
    public static final ConfigKey<Long> RETENTION_BYTES = ConfigKey.ofSize(PREFIX + "retention-bytes", 0, 0,
            Long.MAX_VALUE, "delete the oldest sealed segments while the log holds more bytes than this, checked at "
                    + "each segment roll; 0 = no size limit");
    /** How long a sealed segment is kept. */
    public static final ConfigKey<Duration> RETENTION_AGE = ConfigKey.ofDuration(PREFIX + "retention-age",
            Duration.ZERO, Duration.ZERO, Duration.ofDays(36_500), "delete sealed segments sealed longer ago than "
                    + "this, checked at each segment roll; 0 = no age limit");

    /** Every key, for {@link WALConfig#requireKnown} and documentation. */
    public static final List<ConfigKey<?>> KEYS = List.of(DIR, DURABILITY, SEGMENT_BYTES, SEGMENT_AGE, BATCH_BYTES,
            BATCH_MAX_DELAY, BATCH_SETTLE_MAX, QUEUE_MESSAGES, QUEUE_BYTES, INDEX_INTERVAL_BYTES, CORRUPTION_POLICY,
            READER_POLL_INTERVAL, RETENTION_BYTES, RETENTION_AGE);

    private final Path dir;
    private final Durability durability;
    private final long segmentBytes;
    private final Duration segmentAge;
    private final long batchBytes;
    private final Duration batchMaxDelay;
    private final Duration batchSettleMax;
    private final int queueMessages;
    private final long queueBytes;
    private final long indexIntervalBytes;
    private final CorruptionPolicy corruptionPolicy;
    private final Duration readerPollInterval;
    private final Retention retention;

    private FileConfig(WALConfig config) {
        String root = config.get(DIR);
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("configuration key " + DIR.name() + " is required (" + DIR.doc() + ")");
        }
        dir = Path.of(root);
        durability = config.get(DURABILITY);
        if (durability != Durability.OS && durability != Durability.DISK) {
            throw new IllegalArgumentException("invalid value \"" + durability + "\" for configuration key "
                    + DURABILITY.name() + ": the file backend supports OS and DISK");
        }
        segmentBytes = config.get(SEGMENT_BYTES);
        segmentAge = config.get(SEGMENT_AGE);
        batchBytes = config.get(BATCH_BYTES);
        batchMaxDelay = config.get(BATCH_MAX_DELAY);
        batchSettleMax = config.get(BATCH_SETTLE_MAX);
        queueMessages = config.get(QUEUE_MESSAGES);
        queueBytes = config.get(QUEUE_BYTES);
        indexIntervalBytes = config.get(INDEX_INTERVAL_BYTES);
        corruptionPolicy = config.get(CORRUPTION_POLICY);
        readerPollInterval = config.get(READER_POLL_INTERVAL);
        retention = new Retention(config.get(RETENTION_BYTES), config.get(RETENTION_AGE));
    }

    /**
     * @return the validated configuration
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException naming the key when one under {@value #PREFIX} is unknown, malformed or
     *                                  missing
     */
    public static FileConfig from(WALConfig config) {
        Objects.requireNonNull(config, "config");
        config.requireKnown(PREFIX, KEYS);
        return new FileConfig(config);
    }

    /** @return the root directory */
    public Path dir() {
        return dir;
    }

    /** @return the durability of appends that ask for none ({@link FileWAL#append(
     *     io.wal4j.api.message.MutableMessage)}) */
    public Durability durability() {
        return durability;
    }

    /** @return the roll size of a segment */
    public long segmentBytes() {
        return segmentBytes;
    }

    /** @return the roll age of a segment */
    public Duration segmentAge() {
        return segmentAge;
    }

    /** @return the most bytes of one group commit */
    public long batchBytes() {
        return batchBytes;
    }

    /** @return the longest wait for a batch to fill */
    public Duration batchMaxDelay() {
        return batchMaxDelay;
    }

    /** @return the longest wait of a group commit for the appenders the previous force acknowledged */
    public Duration batchSettleMax() {
        return batchSettleMax;
    }

    /** @return the most queued appends */
    public int queueMessages() {
        return queueMessages;
    }

    /** @return the most queued bytes */
    public long queueBytes() {
        return queueBytes;
    }

    /** @return bytes between sparse index entries */
    public long indexIntervalBytes() {
        return indexIntervalBytes;
    }

    /** @return the corruption policy */
    public CorruptionPolicy corruptionPolicy() {
        return corruptionPolicy;
    }

    /** @return the polling interval of read-only WALs */
    public Duration readerPollInterval() {
        return readerPollInterval;
    }

    /** @return which old segments are deleted at each roll */
    Retention retention() {
        return retention;
    }
}
