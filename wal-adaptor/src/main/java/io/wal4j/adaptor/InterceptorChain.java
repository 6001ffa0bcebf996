package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.interceptor.Interceptor;
import io.wal4j.adaptor.interceptor.InterceptorBuildParam;
import io.wal4j.adaptor.interceptor.InterceptorBuilder;
import io.wal4j.api.message.MutableMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The interceptors of one WAL in call order (index 0 outermost) above a terminal step (the backend append). Runs an
 * append through them, times each interceptor's own work, combines their readiness, and closes them.
 *
 * <p>Thread-safe: the list is fixed at construction. Each interceptor's "own time" is the time from entering its
 * {@code doAppend} to completing its future, minus the time its {@code next} calls were outstanding.
 */
final class InterceptorChain {

    private static final Logger LOG = LoggerFactory.getLogger(InterceptorChain.class);

    private final List<Interceptor> interceptors;
    private final List<LongAdder> timers;
    private final AppendNext terminal;
    private final CompletableFuture<Void> ready;

    private InterceptorChain(List<Interceptor> interceptors, AppendNext terminal, AdaptorMetrics metrics) {
        this.interceptors = List.copyOf(interceptors);
        this.terminal = terminal;
        List<LongAdder> t = new ArrayList<>();
        List<CompletableFuture<Void>> readies = new ArrayList<>();
        for (Interceptor interceptor : this.interceptors) {
            t.add(metrics.interceptorTimer(interceptor.name()));
            readies.add(Futures.callSafely(interceptor::ready, "ready() of interceptor " + interceptor.name()));
        }
        this.timers = List.copyOf(t);
        this.ready = CompletableFuture.allOf(readies.toArray(CompletableFuture[]::new));
    }

    /**
     * Builds every interceptor in order; if one builder fails, closes those already built and rethrows.
     *
     * @throws NullPointerException if a builder returns null
     * @throws RuntimeException     what a builder threw
     */
    static InterceptorChain build(List<InterceptorBuilder> builders, InterceptorBuildParam param, AppendNext terminal,
                                  AdaptorMetrics metrics) {
        List<Interceptor> built = new ArrayList<>();
        try {
            for (InterceptorBuilder builder : builders) {
                built.add(Objects.requireNonNull(builder.build(param),
                        () -> "interceptor builder " + builder.getClass().getName() + " returned null"));
            }
            return new InterceptorChain(built, terminal, metrics);
        } catch (RuntimeException | Error e) {
            closeAll(built);
            throw e;
        }
    }

    /** @return completed when every interceptor is ready; failed with the first readiness failure */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Runs one append through the chain. Never throws. */
    CompletableFuture<AppendOutcome> append(AppendContext ctx, MutableMessage message) {
        return invoke(0, ctx, message);
    }

    private CompletableFuture<AppendOutcome> invoke(int index, AppendContext ctx, MutableMessage message) {
        if (index == interceptors.size()) {
            return Futures.callSafely(() -> terminal.append(ctx, message), "the backend step");
        }
        Interceptor interceptor = interceptors.get(index);
        LongAdder timer = timers.get(index);
        AtomicLong innerNanos = new AtomicLong();
        AppendNext next = (c, m) -> {
            long calledAt = System.nanoTime();
            CompletableFuture<AppendOutcome> inner = Futures.callSafely(() -> invoke(index + 1,
                    Objects.requireNonNull(c, "ctx"), Objects.requireNonNull(m, "message")),
                    "next of interceptor " + interceptor.name());
            return Futures.whenComplete(inner, (r, e) -> innerNanos.addAndGet(System.nanoTime() - calledAt));
        };
        long start = System.nanoTime();
        CompletableFuture<AppendOutcome> own = Futures.callSafely(() -> interceptor.doAppend(ctx, message, next),
                "doAppend of interceptor " + interceptor.name());
        return Futures.whenComplete(own, (r, e) -> timer.add(Math.max(0, System.nanoTime() - start
                - innerNanos.get())));
    }

    /** Calls every interceptor's {@code gracefulClose}, outermost first, going on after a failure. */
    void gracefulClose() {
        for (Interceptor interceptor : interceptors) {
            try {
                interceptor.gracefulClose();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                LOG.warn("gracefulClose of interceptor {} failed", interceptor.name(), e);
            }
        }
    }

    /** Closes every interceptor, innermost (last built) first, going on after a failure. */
    void close() {
        closeAll(interceptors);
    }

    private static void closeAll(List<Interceptor> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            Interceptor interceptor = list.get(i);
            try {
                interceptor.close();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                LOG.warn("closing interceptor {} failed", interceptor.name(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "InterceptorChain" + interceptors.stream().map(Interceptor::name).toList();
    }
}
