package io.wal4j.adaptor.interceptor;

import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.TxnContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The state of one append as it travels down and back up the interceptor chain: what is being appended (channel,
 * requested durability), whether the append was abandoned (cancelled, timed out, the WAL closing or fenced), and the
 * parts of the {@link io.wal4j.api.AppendResult} that interceptors fill in (time tick, transaction, extra entries).
 *
 * <p>Thread-safe: the setters may be called from whichever thread runs an interceptor. One context per append; the
 * adaptor creates it, interceptors and tests may create their own with {@link #create}.
 */
public final class AppendContext {

    private final PChannelInfo channel;
    private final Durability durability;
    private final Map<String, String> extra = new ConcurrentHashMap<>();
    private final List<Consumer<Throwable>> cancelCallbacks = new ArrayList<>();
    private volatile long timeTick;
    private volatile TxnContext txnContext;
    private volatile MessageId notPersistedId;
    private Throwable cancellation; // guarded by cancelCallbacks

    private AppendContext(PChannelInfo channel, Durability durability) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.durability = Objects.requireNonNull(durability, "durability");
    }

    /**
     * @param channel    the channel appended to
     * @param durability the durability the backend must reach
     * @return a fresh context: not cancelled, time tick 0, no transaction, no extra entry
     * @throws NullPointerException if an argument is null
     */
    public static AppendContext create(PChannelInfo channel, Durability durability) {
        return new AppendContext(channel, durability);
    }

    /** @return the channel appended to */
    public PChannelInfo channel() {
        return channel;
    }

    /** @return the durability the backend must reach before the append is acknowledged */
    public Durability durability() {
        return durability;
    }

    /** Sets the time tick reported in the result (an interceptor assigning time ticks calls it). */
    public void setTimeTick(long timeTick) {
        this.timeTick = timeTick;
    }

    /** @return the time tick set so far, 0 when none */
    public long timeTick() {
        return timeTick;
    }

    /** Sets the transaction reported in the result. @throws NullPointerException if {@code txn} is null */
    public void setTxnContext(TxnContext txn) {
        this.txnContext = Objects.requireNonNull(txn, "txn");
    }

    /** @return the transaction set so far */
    public Optional<TxnContext> txnContext() {
        return Optional.ofNullable(txnContext);
    }

    /**
     * Adds (or replaces) an entry of {@link io.wal4j.api.AppendResult#extra()}.
     *
     * @throws NullPointerException if the key or value is null
     */
    public void putExtra(String key, String value) {
        extra.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /** @return a snapshot of the extra entries */
    public Map<String, String> extra() {
        return extra.isEmpty() ? Map.of() : Map.copyOf(extra);
    }

    /**
     * Asks the backend step not to write the message but to report {@code id} as its id: for messages that are
     * delivered to readers without being stored (a not-persisted time tick reuses the last stored id).
     *
     * @throws NullPointerException if {@code id} is null
     */
    public void setNotPersistedId(MessageId id) {
        this.notPersistedId = Objects.requireNonNull(id, "id");
    }

    /** @return the id set by {@link #setNotPersistedId}, if any */
    public Optional<MessageId> notPersistedId() {
        return Optional.ofNullable(notPersistedId);
    }

    /**
     * Abandons the append: its caller stopped waiting (cancelled, timed out) or the WAL is closing or fenced. Waits
     * inside the chain (readiness, retry backoff) end with {@code reason}; work already handed to the backend is not
     * recalled. Only the first call counts.
     *
     * @param reason why; becomes the failure of waits that end because of it
     * @return true if this call cancelled the context
     * @throws NullPointerException if {@code reason} is null
     */
    public boolean cancel(Throwable reason) {
        Objects.requireNonNull(reason, "reason");
        List<Consumer<Throwable>> toRun;
        synchronized (cancelCallbacks) {
            if (cancellation != null) {
                return false;
            }
            cancellation = reason;
            toRun = new ArrayList<>(cancelCallbacks);
            cancelCallbacks.clear();
        }
        toRun.forEach(callback -> callback.accept(reason));
        return true;
    }

    /** @return the reason of the cancellation, if the append was abandoned */
    public Optional<Throwable> cancellation() {
        synchronized (cancelCallbacks) {
            return Optional.ofNullable(cancellation);
        }
    }

    /** @return whether the append was abandoned */
    public boolean isCancelled() {
        return cancellation().isPresent();
    }

    /**
     * Runs {@code callback} with the reason when the append is abandoned, at once if it already was.
     *
     * @return a handle that unregisters the callback (call it when the wait ends another way)
     * @throws NullPointerException if {@code callback} is null
     */
    public Runnable onCancel(Consumer<Throwable> callback) {
        Objects.requireNonNull(callback, "callback");
        Throwable already;
        synchronized (cancelCallbacks) {
            already = cancellation;
            if (already == null) {
                cancelCallbacks.add(callback);
                return () -> {
                    synchronized (cancelCallbacks) {
                        cancelCallbacks.remove(callback);
                    }
                };
            }
        }
        callback.accept(already);
        return () -> { };
    }

    @Override
    public String toString() {
        return "AppendContext{channel=" + channel + ", durability=" + durability + ", timeTick=" + timeTick
                + ", cancelled=" + isCancelled() + "}";
    }
}
