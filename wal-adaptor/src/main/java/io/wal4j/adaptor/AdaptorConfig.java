package io.wal4j.adaptor;

import io.wal4j.adaptor.timetick.TimestampAllocatorFactory;
import io.wal4j.api.ConfigKey;
import io.wal4j.api.WALConfig;

import io.wal4j.api.Durability;
import io.wal4j.spi.Capabilities;
import java.time.Duration;
import java.util.List;

/**
 * The adaptor's configuration keys (under {@value #PREFIX}) and their values as read from a {@link WALConfig}.
 * Immutable and thread-safe.
 */
public final class AdaptorConfig {

    /** Every adaptor key starts with this prefix; unknown keys under it are refused at build. */
    public static final String PREFIX = "wal.adaptor.";

    /** The first delay before a failed backend append is retried. */
    public static final ConfigKey<Duration> APPEND_RETRY_INITIAL = ConfigKey.ofDuration(PREFIX + "append-retry-initial",
            Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofMinutes(1),
            "first delay before retrying a backend append that failed transiently; doubles up to append-retry-max");

    /** The longest delay between retries of a failed backend append. */
    public static final ConfigKey<Duration> APPEND_RETRY_MAX = ConfigKey.ofDuration(PREFIX + "append-retry-max",
            Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofHours(1),
            "longest delay between retries of a backend append; retries go on until close, fence, cancel or deadline");

    /** The write-ahead buffer's capacity; 0 disables it (every scanner then reads the backend). */
    public static final ConfigKey<Long> BUFFER_BYTES = ConfigKey.ofSize(PREFIX + "buffer.bytes", 64L << 20, 0,
            Long.MAX_VALUE, "capacity of the in-memory write-ahead buffer that tailing scanners read (estimated "
                    + "message bytes); 0 = no buffer, every scanner reads the backend");

    /** How long an entry stays in the write-ahead buffer. */
    public static final ConfigKey<Duration> BUFFER_KEEPALIVE = ConfigKey.ofDuration(PREFIX + "buffer.keepalive",
            Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofDays(1),
            "age at which an entry leaves the write-ahead buffer (the last entry always stays)");

    /**
     * The period of the fallback time-tick sync; while a scanner is open, syncs are otherwise triggered by every
     * acknowledged append.
     */
    public static final ConfigKey<Duration> TIMETICK_SYNC_INTERVAL = ConfigKey.ofDuration(
            PREFIX + "timetick.sync-interval", Duration.ofMillis(200), Duration.ofMillis(1), Duration.ofHours(1),
            "period of the fallback time-tick sync that keeps idle readers' time moving; while a scanner is open "
                    + "every acknowledged append triggers a sync at once (so this is not the append-to-delivery "
                    + "latency), and without one every 256 acknowledged appends do");

    /** Whether read-write WALs assign time ticks (and therefore sync them and buffer for tailing readers). */
    public static final ConfigKey<Boolean> TIMETICK_ENABLED = ConfigKey.ofBoolean(PREFIX + "timetick.enabled", true,
            "assign time ticks, write the first time tick at open, sync time ticks and keep the write-ahead buffer; "
                    + "false = plain mode: no extra backend writes, messages carry no tick and scanners deliver them "
                    + "in id order from the backend");

    /** The class name of the {@link TimestampAllocatorFactory}; empty for the system hybrid logical clock. */
    public static final ConfigKey<String> TIMETICK_ALLOCATOR = ConfigKey.ofString(PREFIX + "timetick.allocator", "",
            "class name of an io.wal4j.adaptor.timetick.TimestampAllocatorFactory with a public no-argument "
                    + "constructor; empty = a hybrid logical clock on the system clock");

    /** The durability every append of the opener's WALs asks the backend for; unset = the backend's default. */
    public static final ConfigKey<Durability> DURABILITY = ConfigKey.ofEnum(PREFIX + "durability", Durability.class,
            null, "durability level every append waits for (MEMORY, OS, DISK or REPLICATED; must be one the backend "
                    + "supports); unset = the backend's default level");

    /** How long closing a WAL waits for its open transactions to end before it closes anyway. */
    public static final ConfigKey<Duration> TXN_CLOSE_WAIT = ConfigKey.ofDuration(PREFIX + "txn.close-wait",
            Duration.ofSeconds(3), Duration.ZERO, Duration.ofHours(1),
            "how long closing a WAL waits for open transactions to be committed, rolled back or expire (new ones are "
                    + "refused meanwhile); transactions still open then are never delivered");

    /** The bytes of uncommitted transactions one scanner may hold; a larger transaction fails the scanner. */
    public static final ConfigKey<Long> TXN_BUFFER_BYTES = ConfigKey.ofSize(PREFIX + "txn.buffer-bytes", 64L << 20,
            1, Long.MAX_VALUE, "estimated bytes of open transactions one scanner holds while waiting for their "
                    + "commits; a scanner that would hold more fails with a WALException naming the transaction");

    /** How long opening a WAL retries its first time-tick write on transient backend failures. */
    public static final ConfigKey<Duration> OPEN_TIMEOUT = ConfigKey.ofDuration(PREFIX + "open-timeout",
            Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofDays(1),
            "how long opening a read-write WAL retries writing its first time tick while the backend fails "
                    + "transiently; then open fails with a WALStorageException carrying the last failure");

    /** Every key of the adaptor. */
    public static final List<ConfigKey<?>> KEYS = List.of(APPEND_RETRY_INITIAL, APPEND_RETRY_MAX, BUFFER_BYTES,
            BUFFER_KEEPALIVE, TIMETICK_SYNC_INTERVAL, TIMETICK_ENABLED, TIMETICK_ALLOCATOR, DURABILITY,
            TXN_CLOSE_WAIT, TXN_BUFFER_BYTES, OPEN_TIMEOUT);

    private final Duration appendRetryInitial;
    private final Duration appendRetryMax;
    private final long bufferBytes;
    private final Duration bufferKeepAlive;
    private final Duration syncInterval;
    private final boolean timeTicks;
    private final TimestampAllocatorFactory allocatorFactory;
    private final Durability durability;
    private final Duration txnCloseWait;
    private final long txnBufferBytes;
    private final Duration openTimeout;

    private AdaptorConfig(Duration appendRetryInitial, Duration appendRetryMax, long bufferBytes,
                          Duration bufferKeepAlive, Duration syncInterval, boolean timeTicks,
                          TimestampAllocatorFactory allocatorFactory, Durability durability,
                          Duration txnCloseWait, long txnBufferBytes, Duration openTimeout) {
        this.openTimeout = openTimeout;
        this.txnCloseWait = txnCloseWait;
        this.txnBufferBytes = txnBufferBytes;
        this.appendRetryInitial = appendRetryInitial;
        this.appendRetryMax = appendRetryMax;
        this.bufferBytes = bufferBytes;
        this.bufferKeepAlive = bufferKeepAlive;
        this.syncInterval = syncInterval;
        this.timeTicks = timeTicks;
        this.allocatorFactory = allocatorFactory;
        this.durability = durability;
    }

    /**
     * Reads and checks the adaptor's keys.
     *
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException naming the key when a key under {@value #PREFIX} is unknown or malformed, or
     *                                  when the initial retry delay exceeds the maximum, or when the allocator class
     *                                  cannot be loaded, is not a {@link TimestampAllocatorFactory} or cannot be
     *                                  instantiated
     */
    public static AdaptorConfig from(WALConfig config) {
        config.requireKnown(PREFIX, KEYS);
        Duration initial = config.get(APPEND_RETRY_INITIAL);
        Duration max = config.get(APPEND_RETRY_MAX);
        if (initial.compareTo(max) > 0) {
            throw new IllegalArgumentException(APPEND_RETRY_INITIAL.name() + " (" + initial + ") exceeds "
                    + APPEND_RETRY_MAX.name() + " (" + max + ")");
        }
        return new AdaptorConfig(initial, max, config.get(BUFFER_BYTES), config.get(BUFFER_KEEPALIVE),
                config.get(TIMETICK_SYNC_INTERVAL), config.get(TIMETICK_ENABLED),
                allocatorFactory(config.get(TIMETICK_ALLOCATOR)), config.get(DURABILITY),
                config.get(TXN_CLOSE_WAIT), config.get(TXN_BUFFER_BYTES), config.get(OPEN_TIMEOUT));
    }

    /**
     * @return the level appends ask for: the configured one, else the backend's default
     * @throws IllegalArgumentException naming {@link #DURABILITY} when the backend does not support the configured level
     */
    Durability durabilityFor(Capabilities capabilities) {
        if (durability == null) {
            return capabilities.defaultDurability();
        }
        if (!capabilities.supports(durability)) {
            throw new IllegalArgumentException("configuration key " + DURABILITY.name() + " = " + durability
                    + " is not supported by this backend; supported: " + capabilities.durabilities());
        }
        return durability;
    }

    private static TimestampAllocatorFactory allocatorFactory(String className) {
        if (className.isBlank()) {
            return TimestampAllocatorFactory.SYSTEM_CLOCK;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(className.strip(), true,
                    loader != null ? loader : AdaptorConfig.class.getClassLoader());
            if (!TimestampAllocatorFactory.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(TIMETICK_ALLOCATOR.name() + ": class " + className
                        + " does not implement " + TimestampAllocatorFactory.class.getName());
            }
            return (TimestampAllocatorFactory) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException(TIMETICK_ALLOCATOR.name() + ": cannot instantiate \"" + className
                    + "\": " + e, e);
        }
    }

    /** @return the write-ahead buffer's capacity in bytes; 0 means no buffer */
    public long bufferBytes() {
        return bufferBytes;
    }

    /** @return how long an entry stays in the write-ahead buffer */
    public Duration bufferKeepAlive() {
        return bufferKeepAlive;
    }

    /** @return how long opening a WAL retries its first time-tick write */
    public Duration openTimeout() {
        return openTimeout;
    }

    /** @return how long closing a WAL waits for open transactions */
    public Duration txnCloseWait() {
        return txnCloseWait;
    }

    /** @return the bytes of open transactions one scanner may hold */
    public long txnBufferBytes() {
        return txnBufferBytes;
    }

    /** @return the period of the fallback time-tick sync */
    public Duration syncInterval() {
        return syncInterval;
    }

    /** @return whether read-write WALs assign and sync time ticks */
    public boolean timeTicks() {
        return timeTicks;
    }

    /** @return the factory of each channel's time-tick allocator */
    public TimestampAllocatorFactory allocatorFactory() {
        return allocatorFactory;
    }

    /** @return the first retry delay of a backend append */
    public Duration appendRetryInitial() {
        return appendRetryInitial;
    }

    /** @return the longest retry delay of a backend append */
    public Duration appendRetryMax() {
        return appendRetryMax;
    }

    @Override
    public String toString() {
        return "AdaptorConfig{appendRetryInitial=" + appendRetryInitial + ", appendRetryMax=" + appendRetryMax
                + ", bufferBytes=" + bufferBytes + ", bufferKeepAlive=" + bufferKeepAlive + ", syncInterval="
                 + syncInterval + ", timeTicks=" + timeTicks + ", allocatorFactory=" + allocatorFactory + "}";
    }
}
