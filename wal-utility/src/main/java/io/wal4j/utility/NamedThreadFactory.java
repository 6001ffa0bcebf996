package io.wal4j.utility;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates threads named {@code <prefix>-1}, {@code <prefix>-2}, … so every wal4j thread can be recognised in a
 * thread dump and checked for in tests (house rule: {@code wal4j-<what>-<channel>}). Threads are daemon unless asked
 * otherwise, so a forgotten WAL never holds the JVM open; an exception escaping a thread is logged, not lost.
 *
 * <p>Thread-safe: one factory may serve an executor whose threads start concurrently.
 */
public final class NamedThreadFactory implements ThreadFactory {

    private static final Logger LOG = LoggerFactory.getLogger(NamedThreadFactory.class);

    private final String prefix;
    private final boolean daemon;
    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * A factory of daemon threads.
     *
     * @param prefix the start of every thread name, e.g. {@code wal4j-file-writer-orders}
     * @throws NullPointerException     if {@code prefix} is null
     * @throws IllegalArgumentException if {@code prefix} is blank
     */
    public NamedThreadFactory(String prefix) {
        this(prefix, true);
    }

    /**
     * @param prefix the start of every thread name
     * @param daemon whether the threads are daemon threads
     * @throws NullPointerException     if {@code prefix} is null
     * @throws IllegalArgumentException if {@code prefix} is blank
     */
    public NamedThreadFactory(String prefix, boolean daemon) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException("thread name prefix must not be blank, got \"" + prefix + "\"");
        }
        this.prefix = prefix;
        this.daemon = daemon;
    }

    /** @return the prefix of every thread name */
    public String prefix() {
        return prefix;
    }

    /**
     * Creates an unstarted thread named {@code <prefix>-<n>}, n counting from 1.
     *
     * @throws NullPointerException if {@code task} is null
     */
    @Override
    public Thread newThread(Runnable task) {
        Objects.requireNonNull(task, "task");
        Thread thread = new Thread(task, prefix + "-" + sequence.incrementAndGet());
        thread.setDaemon(daemon);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("uncaught exception in thread {}", t.getName(), e));
        return thread;
    }

    @Override
    public String toString() {
        return "NamedThreadFactory{" + prefix + ", daemon=" + daemon + "}";
    }
}
