package io.wal4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A call made on its own named thread so that the test can watch it block, then release it (by a close or an
 * interrupt) and check how it ended. The thread records whether its interrupt flag was still set when the call
 * returned, for the "the interrupt is kept" rule.
 *
 * @param <T> what the call returns
 */
final class BlockedCall<T> {

    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean interruptedAfterwards;

    private BlockedCall(String what, Callable<T> call) {
        this.thread = KitThreads.factory(what).newThread(() -> run(call));
    }

    /** Starts {@code call} on a new thread named after {@code what}. */
    static <T> BlockedCall<T> start(String what, Callable<T> call) {
        BlockedCall<T> blocked = new BlockedCall<>(what, call);
        blocked.thread.start();
        return blocked;
    }

    private void run(Callable<T> call) {
        T value = null;
        Throwable failure = null;
        try {
            value = call.call();
        } catch (Throwable t) {
            failure = t;
        }
        // Read before completing so that whoever sees the result also sees the flag.
        interruptedAfterwards = Thread.currentThread().isInterrupted();
        if (failure == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(failure);
        }
    }

    /**
     * Waits (bounded) until the thread blocks inside the call, and fails if the call returned instead: on an empty
     * channel a read must block, and it must block by waiting, not by spinning.
     */
    BlockedCall<T> awaitBlocked() {
        await("thread " + thread.getName() + " to wait inside the call")
                .atMost(KitAssertions.TIMEOUT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> result.isDone() || isWaiting());
        assertThat(result).as("a read on an empty channel must block until data arrives or it is closed, but it"
                + " returned").isNotDone();
        return this;
    }

    /**
     * Parked (a lock, a condition, a queue) or inside a native call: a thread blocked in a socket or file read shows
     * as RUNNABLE, but its top frame is native, unlike a thread spinning in Java code.
     */
    private boolean isWaiting() {
        Thread.State state = thread.getState();
        if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
            return true;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        return state == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod();
    }

    /** Interrupts the blocked thread. */
    void interrupt() {
        thread.interrupt();
    }

    /** @return the cause the call failed with within {@link KitAssertions#RELEASE} */
    Throwable failureWithinRelease(String what) {
        return KitAssertions.failureOf(result, KitAssertions.RELEASE, what);
    }

    /** @return whether the thread's interrupt flag was set when the call returned */
    boolean interruptedAfterwards() {
        return interruptedAfterwards;
    }
}
