package io.wal4j.impls.file;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Named daemon threads and their orderly shutdown. Stateless. */
final class Threads {

    private Threads() {
    }

    /** @return a single-thread executor whose daemon thread is called {@code name} */
    static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Shuts {@code executor} down and waits for its queued tasks, unless called from its own thread (a callback
     * closing the WAL), where waiting would deadlock. Keeps the interrupt status.
     */
    static void shutdown(ExecutorService executor, String threadName) {
        executor.shutdown();
        if (Thread.currentThread().getName().equals(threadName)) {
            return;
        }
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
