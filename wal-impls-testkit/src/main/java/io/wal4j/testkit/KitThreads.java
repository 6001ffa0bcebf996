package io.wal4j.testkit;

import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Threads of the kit itself, all named {@code wal4j-testkit-<what>-<n>} and daemon so a hung backend cannot hold
 * the test JVM, and the thread-leak check that tells them apart from a backend's threads.
 */
final class KitThreads {

    /** Every thread the kit starts has a name with this prefix. */
    static final String PREFIX = "wal4j-testkit-";

    /** A backend thread: named as the house style asks, or left with a JDK default name. */
    private static final Pattern BACKEND_THREAD = Pattern.compile("wal4j-.*|pool-\\d+-thread-\\d+|Thread-\\d+");

    private KitThreads() {
    }

    /** @return a cached pool of named daemon threads; unbounded so readers and writers never starve each other */
    static ExecutorService newPool(String what) {
        return Executors.newCachedThreadPool(factory(what));
    }

    /** @return a factory of daemon threads named {@code wal4j-testkit-<what>-<n>} */
    static ThreadFactory factory(String what) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, PREFIX + what + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** @return every live thread */
    static Set<Thread> liveThreads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * @param before the threads alive before the backend was built
     * @return the names of live backend threads started since {@code before}
     */
    static Set<String> backendThreadsStartedSince(Set<Thread> before) {
        return liveThreads().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .filter(name -> !name.startsWith(PREFIX) && BACKEND_THREAD.matcher(name).matches())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
