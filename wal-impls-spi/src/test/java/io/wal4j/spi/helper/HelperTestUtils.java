package io.wal4j.spi.helper;

import static org.awaitility.Awaitility.await;

import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.TestMessageId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.awaitility.core.ConditionFactory;

/** Threads and messages for the helper tests. */
final class HelperTestUtils {

    static final Duration LONG = Duration.ofSeconds(10);

    private HelperTestUtils() {
    }

    static ImmutableMessage message(long n) {
        return ImmutableMessage.of(new TestMessageId("test", n), ("payload-" + n).getBytes(StandardCharsets.UTF_8),
                Map.of("n", Long.toString(n)));
    }

    static MutableMessage mutable(long n) {
        return MutableMessage.newBuilder().payload(("payload-" + n).getBytes(StandardCharsets.UTF_8))
                .property("n", Long.toString(n)).build();
    }

    /** A started daemon thread running {@code body}, with its outcome. */
    static <T> Forked<T> fork(String name, Callable<T> body) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.complete(body.call());
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        }, "wal4j-test-" + name);
        thread.setDaemon(true);
        thread.start();
        return new Forked<>(thread, outcome);
    }

    /** Awaitility checking often: the conditions here turn true within microseconds to milliseconds. */
    static ConditionFactory eventually() {
        return await().atMost(LONG).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Waits until the thread is parked in a blocking call (a condition wait, a lock, a latch). */
    static void awaitBlocked(Thread thread) {
        eventually().until(() -> thread.getState() == Thread.State.WAITING
                || thread.getState() == Thread.State.TIMED_WAITING);
    }

    record Forked<T>(Thread thread, CompletableFuture<T> outcome) {
    }
}
