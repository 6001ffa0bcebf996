package io.wal4j.spi.helper;

import io.wal4j.api.AccessMode;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.utility.Lifetime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The lifetime every {@link io.wal4j.spi.OpenerImpls} needs: opens run inside a guard that refuses them once the
 * opener is closed, and the opener remembers what it opened so that closing it closes every WAL still open, newest
 * first. A backend's opener keeps one of these and only its storage-specific code:
 *
 * <pre>{@code
 * public WALImpls open(OpenOption option) {
 *     return lifetime.openReadWrite(option, channel -> {     // argument checks, then inside the guard
 *         ChannelCore<MyScanner> core = new ChannelCore<>(NAME, channel, reader, release, lifetime::forget);
 *         lifetime.track(core);
 *         return new ChannelWAL(core, capabilities, writes);
 *     });
 * }
 * public void close() {
 *     if (lifetime.close()) {
 *         ...release what the opener itself holds (clients, pools)...
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} refuses new opens, waits for opens in flight (so a WAL being opened is tracked
 * before the close looks), then closes the tracked WALs outside any lock. Closing the tracked objects must not throw;
 * one that does is skipped so the others still close.
 *
 * @param <T> what the opener tracks: its WALs, or a part of them that closes the WAL
 */
public final class OpenerLifetime<T extends AutoCloseable> {

    private final String description;
    private final Lifetime lifetime;
    private final Set<T> open = new LinkedHashSet<>();

    /**
     * @param description names the opener in {@link WALClosedException} messages, for example
     *                    {@code "memory opener on store default"}
     * @throws NullPointerException if {@code description} is null
     */
    public OpenerLifetime(String description) {
        this.description = Objects.requireNonNull(description, "description");
        this.lifetime = new Lifetime(description);
    }

    /**
     * Runs an open inside the guard: {@link #close()} waits for it to return.
     *
     * @param open the backend's open; it should {@link #track} what it opens before returning
     * @return what {@code open} returned
     * @throws WALClosedException if the opener is closed; the cause says where it was closed
     * @throws RuntimeException   what {@code open} threw
     */
    public <R> R guard(Supplier<R> open) {
        if (!lifetime.tryEnter()) {
            throw closedException();
        }
        try {
            return open.get();
        } finally {
            lifetime.exit();
        }
    }

    /**
     * The checks of {@link io.wal4j.spi.OpenerImpls#open} in their documented order, then {@code open} inside the
     * guard.
     *
     * @param open the backend's open of the channel as the option names it
     * @throws NullPointerException     if {@code option} is null
     * @throws IllegalArgumentException if the option is read-only
     * @throws WALClosedException       if the opener is closed
     */
    public <R> R openReadWrite(OpenOption option, Function<PChannelInfo, R> open) {
        Objects.requireNonNull(option, "option");
        if (option.isReadOnly()) {
            throw new IllegalArgumentException("open(" + option.channel() + ") asks for a read-only channel; "
                    + "use openReadOnly");
        }
        return guard(() -> open.apply(option.channel()));
    }

    /**
     * The checks of {@link io.wal4j.spi.OpenerImpls#openReadOnly}, then {@code open} inside the guard with the
     * channel {@linkplain PChannelInfo#withAccessMode made read-only} (a read-write option is accepted).
     *
     * @throws NullPointerException if {@code option} is null
     * @throws WALClosedException   if the opener is closed
     */
    public <R> R openReadOnly(OpenOption option, Function<PChannelInfo, R> open) {
        Objects.requireNonNull(option, "option");
        return guard(() -> open.apply(option.channel().withAccessMode(AccessMode.READ_ONLY)));
    }

    /** @return the exception for an open that arrives after {@link #close()} */
    public WALClosedException closedException() {
        return new WALClosedException(description + " is closed", lifetime.closedBy());
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return lifetime.isClosed();
    }

    /**
     * Remembers an opened WAL so that {@link #close()} closes it. Call it inside {@link #guard}.
     *
     * @throws NullPointerException if {@code wal} is null
     */
    public void track(T wal) {
        Objects.requireNonNull(wal, "wal");
        synchronized (open) {
            open.add(wal);
        }
    }

    /** Forgets a WAL that closed on its own; unknown ones are ignored. */
    public void forget(T wal) {
        synchronized (open) {
            open.remove(wal);
        }
    }

    /** @return how many tracked WALs are open now */
    public int openCount() {
        synchronized (open) {
            return open.size();
        }
    }

    /**
     * Closes the opener: refuses new opens, waits for opens in flight, then closes every tracked WAL, newest first.
     * Idempotent; never throws.
     *
     * @return true for the call that closed it (which should then release the opener's own resources), false for
     *     every later call
     */
    public boolean close() {
        if (!lifetime.close()) {
            return false;
        }
        lifetime.awaitQuiescent();
        List<T> wals;
        synchronized (open) {
            wals = new ArrayList<>(open);
        }
        for (int i = wals.size() - 1; i >= 0; i--) {
            try {
                wals.get(i).close();
            } catch (Exception e) {
                // The SPI says closing a WAL never throws; a backend that breaks that still closes the others.
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "OpenerLifetime{" + description + ", open=" + openCount() + ", closed=" + isClosed() + "}";
    }
}
