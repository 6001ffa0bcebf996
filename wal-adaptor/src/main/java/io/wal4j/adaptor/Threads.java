package io.wal4j.adaptor;

import io.wal4j.utility.Lifetime;
import io.wal4j.utility.NamedThreadFactory;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The named daemon executors of the adaptor, and the uninterruptible waits of close paths. Stateless. */
final class Threads {

    /** How long a close waits for in-flight calls before it logs that it is still waiting. */
    private static final Duration WARN_EVERY = Duration.ofSeconds(10);

    /** How long a closing WAL waits for its last time tick to be written before giving up on it. */
    static final Duration LAST_WRITE_TIMEOUT = Duration.ofSeconds(10);

    private Threads() {
    }

    /**
     * @return the one-thread executor that completes a WAL's appends: one thread keeps acknowledgements in the order
     *     the backend completed them (so ids grow in acknowledgement order) and bounds the threads a burst of backend
     *     completions can create. The thread starts with the first completion and is handed to
     *     {@code onThreadCreated} (a replacement too, should it die)
     */
    static ThreadPoolExecutor completionExecutor(String channel, Consumer<Thread> onThreadCreated) {
        NamedThreadFactory named = new NamedThreadFactory("wal4j-append-" + channel);
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = named.newThread(task);
            onThreadCreated.accept(thread);
            return thread;
        });
    }

    /**
     * @return an executor handing tasks to {@code delegate}, or running them on the calling thread once
     *     {@code delegate} refuses them (shut down): a completion must never be lost, or its append would hang
     */
    static Executor orCallerRuns(Executor delegate) {
        return task -> {
            try {
                delegate.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    /** @return a one-thread scheduler for retry backoffs; the thread starts with the first retry */
    static ScheduledThreadPoolExecutor retryScheduler(String channel) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                new NamedThreadFactory("wal4j-retry-" + channel));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return scheduler;
    }

    /**
     * Waits until {@code lifetime} is closed with no call in flight, logging every few seconds while it waits. Does not
     * give up on interruption (a close must not return half done); restores the interrupt status at the end.
     */
    static void awaitQuiescent(Lifetime lifetime, Logger log, String what) {
        boolean interrupted = false;
        while (true) {
            if (lifetime.awaitQuiescent(WARN_EVERY)) {
                break;
            }
            if (Thread.interrupted()) {
                interrupted = true;
            } else {
                log.warn("closing {}: still waiting for {} in-flight call(s)", what, lifetime.inFlight());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes {@code resource}, logging (not throwing) a failure: close paths keep going. */
    static void closeQuietly(AutoCloseable resource, Logger log, String what) {
        try {
            resource.close();
        } catch (Exception | LinkageError | AssertionError e) {
            log.warn("closing {} failed", what, e);
        }
    }
}
