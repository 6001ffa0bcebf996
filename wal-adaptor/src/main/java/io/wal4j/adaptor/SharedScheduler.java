package io.wal4j.adaptor;

import io.wal4j.utility.NamedThreadFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one scheduler thread ({@code wal4j-timetick}) that runs the periodic time-tick syncs of every open WAL in the
 * process. Reference-counted: the first WAL to {@link #acquire()} starts it, the last to release its lease stops it,
 * so no wal4j thread outlives the last WAL. Tasks must be short and must not block: they only trigger work.
 *
 * <p>Thread-safe.
 */
final class SharedScheduler {

    private static final Object LOCK = new Object();
    private static ScheduledThreadPoolExecutor executor; // guarded by LOCK
    private static int leases; // guarded by LOCK

    private SharedScheduler() {
    }

    /** @return a lease on the shared scheduler; close it when the WAL closes */
    static Lease acquire() {
        synchronized (LOCK) {
            if (executor == null) {
                executor = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("wal4j-timetick"));
                executor.setRemoveOnCancelPolicy(true);
                executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            }
            leases++;
            return new Lease(executor);
        }
    }

    private static void release() {
        synchronized (LOCK) {
            leases--;
            if (leases == 0) {
                executor.shutdownNow();
                executor = null;
            }
        }
    }

    /** One WAL's use of the scheduler. Not thread-safe apart from {@link #close()}, which is idempotent. */
    static final class Lease implements AutoCloseable {

        private final ScheduledThreadPoolExecutor executor;
        private boolean closed; // guarded by this

        private Lease(ScheduledThreadPoolExecutor executor) {
            this.executor = executor;
        }

        /** Runs {@code task} every {@code period} with fixed delay; cancel the returned future to stop it. */
        synchronized ScheduledFuture<?> every(Duration period, Runnable task) {
            if (closed) {
                throw new IllegalStateException("the scheduler lease is closed");
            }
            long nanos = period.toNanos();
            return executor.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release();
        }
    }
}
