package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.InterceptorBuilder;
import io.wal4j.api.AccessMode;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.utility.Lifetime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens WALs on one backend opener and owns them. Each WAL is registered under a local, increasing id and removes
 * itself when it closes; {@link #close()} closes the ones still open, newest first, then the backend opener.
 *
 * <p>Thread-safe: channels may be opened concurrently. Close order: refuse new opens, wait for opens in flight, close
 * every live WAL in reverse order of opening (going on after a failure), close the backend opener. Idempotent; a
 * second caller waits for the first.
 */
final class OpenerAdaptor implements Opener {

    private static final Logger LOG = LoggerFactory.getLogger(OpenerAdaptor.class);

    private final String walName;
    private final OpenerImpls backend;
    private final Capabilities capabilities;
    private final List<InterceptorBuilder> interceptorBuilders;
    private final WALConfig config;
    private final AdaptorConfig adaptorConfig;
    private final Lifetime lifetime;
    private final ConcurrentNavigableMap<Long, AutoCloseable> wals = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    OpenerAdaptor(String walName, OpenerImpls backend, Capabilities capabilities,
                  List<InterceptorBuilder> interceptorBuilders, WALConfig config, AdaptorConfig adaptorConfig) {
        this.walName = walName;
        this.backend = backend;
        this.capabilities = capabilities;
        this.interceptorBuilders = List.copyOf(interceptorBuilders);
        this.config = config;
        this.adaptorConfig = adaptorConfig;
        this.lifetime = new Lifetime("opener of " + walName);
    }

    @Override
    public WAL open(OpenOption option) {
        Objects.requireNonNull(option, "option");
        if (option.isReadOnly()) {
            throw new IllegalArgumentException("open() opens a channel for writing, got read-only " + option.channel()
                    + "; use openReadOnly()");
        }
        enter();
        try {
            WALImpls impls = Objects.requireNonNull(backend.open(option), "backend open() returned null");
            long id = ids.incrementAndGet();
            WALAdaptor wal;
            try {
                wal = WALAdaptor.open(impls, capabilities, interceptorBuilders, config, adaptorConfig,
                        () -> wals.remove(id));
            } catch (RuntimeException | Error e) {
                Threads.closeQuietly(impls, LOG, "backend WAL " + option.channel() + " after a failed open");
                throw e;
            }
            wals.put(id, wal);
            return wal;
        } finally {
            lifetime.exit();
        }
    }

    @Override
    public ReadOnlyWAL openReadOnly(OpenOption option) {
        Objects.requireNonNull(option, "option");
        if (!capabilities.readOnly()) {
            throw new UnsupportedOperationException("backend " + walName + " has no read-only mode");
        }
        OpenOption readOnly = new OpenOption(option.channel().withAccessMode(AccessMode.READ_ONLY));
        enter();
        try {
            ReadOnlyWALImpls impls = Objects.requireNonNull(backend.openReadOnly(readOnly),
                    "backend openReadOnly() returned null");
            long id = ids.incrementAndGet();
            ReadOnlyWALAdaptor wal = new ReadOnlyWALAdaptor(walName, impls.channel(), impls, () -> wals.remove(id));
            wals.put(id, wal);
            return wal;
        } finally {
            lifetime.exit();
        }
    }

    /** @return the number of WALs opened by this opener and still open */
    int openWALs() {
        return wals.size();
    }

    @Override
    public void close() {
        if (!closeStarted.compareAndSet(false, true)) {
            Futures.joinUninterruptibly(closed);
            return;
        }
        try {
            lifetime.close();
            Threads.awaitQuiescent(lifetime, LOG, "opener of " + walName);
            for (AutoCloseable wal : wals.descendingMap().values()) {
                Threads.closeQuietly(wal, LOG, wal.toString());
            }
            Threads.closeQuietly(backend, LOG, "backend opener of " + walName);
        } finally {
            closed.complete(null);
        }
    }

    private void enter() {
        if (!lifetime.tryEnter()) {
            throw new WALClosedException("opener of " + walName + " is closed", lifetime.closedBy());
        }
    }

    @Override
    public String toString() {
        return "OpenerAdaptor{" + walName + ", open WALs=" + wals.size() + "}";
    }
}
