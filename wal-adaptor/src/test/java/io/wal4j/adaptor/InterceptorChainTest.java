package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.AppendContext;
import io.wal4j.adaptor.interceptor.AppendNext;
import io.wal4j.adaptor.interceptor.AppendOutcome;
import io.wal4j.adaptor.interceptor.Interceptor;
import io.wal4j.adaptor.interceptor.InterceptorBuildParam;
import io.wal4j.adaptor.interceptor.InterceptorBuilder;
import io.wal4j.api.AppendResult;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.MutableMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.wal4j.adaptor.AdaptorTestUtils.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class InterceptorChainTest {

    private final FakeBackend backend = new FakeBackend();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private Opener opener;

    private WAL open(InterceptorBuilder... builders) {
        opener = WALRegistry.builder(backend, builders).build(AdaptorTestUtils.fastRetries());
        return opener.open(OpenOption.readWrite("chain", 7));
    }

    @AfterEach
    void close() {
        if (opener != null) {
            opener.close();
        }
    }

    /** An interceptor that records when it is entered and when the rest of the chain came back. */
    private Interceptor recording(String name) {
        return new Interceptor() {
            @Override
            public CompletableFuture<AppendOutcome> doAppend(AppendContext ctx, MutableMessage message,
                                                             AppendNext next) {
                calls.add(name + " before");
                return next.append(ctx, message).whenComplete((outcome, failure) -> calls.add(name + " after"));
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public void gracefulClose() {
                calls.add(name + " gracefulClose");
            }

            @Override
            public void close() {
                calls.add(name + " close");
            }
        };
    }

    @Test
    void theFirstInterceptorListedIsTheOutermost() {
        WAL wal = open(p -> recording("a"), p -> recording("b"));

        wal.append(message("x"));

        assertThat(calls).containsExactly("a before", "b before", "b after", "a after");
    }

    @Test
    void interceptorsStampTheMessageAndFillTheResult() {
        WAL wal = open(p -> (ctx, msg, next) -> {
            msg.withTimeTick(42);
            ctx.setTimeTick(42);
            ctx.putExtra("segment", "s-1");
            return next.append(ctx, msg);
        });

        AppendResult result = wal.append(message("x"));

        assertThat(result.timeTick()).isEqualTo(42);
        assertThat(result.extra()).containsEntry("segment", "s-1");
        assertThat(backend.stored("chain").get(0).timeTick()).isEqualTo(42);
        assertThat(backend.stored("chain").get(0).term()).hasValue(7);
    }

    @Test
    void theBackendOutcomeFlowsUpToTheInterceptors() {
        AtomicReference<AppendOutcome> seen = new AtomicReference<>();
        WAL wal = open(p -> (ctx, msg, next) -> next.append(ctx, msg).thenApply(outcome -> {
            seen.set(outcome);
            return outcome;
        }));

        AppendResult result = wal.append(message("x"));

        assertThat(seen.get().messageId()).isEqualTo(result.messageId());
        assertThat(seen.get().durability()).isEqualTo(result.durability());
    }

    @Test
    void afterPartsRunOnAWALThreadNotOnTheBackendsThread() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        WAL wal = open(p -> (ctx, msg, next) -> next.append(ctx, msg)
                .whenComplete((r, e) -> thread.set(Thread.currentThread().getName())));
        java.util.concurrent.BlockingQueue<FakeBackend.Held> held = backend.holdAppends();
        CompletableFuture<AppendResult> future = wal.appendAsync(message("x"));
        FakeBackend.Held pending = held.poll(10, java.util.concurrent.TimeUnit.SECONDS);

        Thread io = new Thread(pending::store, "fake-backend-io");
        io.start();
        io.join();

        assertThat(future).succeedsWithin(Duration.ofSeconds(10));
        assertThat(thread.get()).startsWith("wal4j-append-chain-");
    }

    @Test
    void appendsWaitForEveryInterceptorsReadiness() {
        CompletableFuture<Void> firstReady = new CompletableFuture<>();
        CompletableFuture<Void> secondReady = new CompletableFuture<>();
        WAL wal = open(p -> readyWhen(firstReady), p -> readyWhen(secondReady));

        CompletableFuture<AppendResult> future = wal.appendAsync(message("x"));
        firstReady.complete(null);

        assertThat(future).isNotDone();
        assertThat(backend.wals.get(0).attempts).hasValue(0);

        secondReady.complete(null);

        assertThat(future).succeedsWithin(Duration.ofSeconds(10));
        assertThat(backend.stored("chain")).hasSize(1);
    }

    @Test
    void closingWakesAppendsWaitingForReadiness() {
        WAL wal = open(p -> readyWhen(new CompletableFuture<>()));
        CompletableFuture<AppendResult> future = wal.appendAsync(message("x"));

        wal.close();

        assertThat(future).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(WALClosedException.class);
        assertThat(backend.wals.get(0).attempts).hasValue(0);
    }

    @Test
    void aFailedReadinessFailsAppendsWithItsCause() {
        IllegalStateException recoveryFailed = new IllegalStateException("recovery failed");
        WAL wal = open(p -> readyWhen(CompletableFuture.failedFuture(recoveryFailed)));

        assertThatThrownBy(() -> wal.append(message("x"))).isSameAs(recoveryFailed);
        assertThat(backend.wals.get(0).attempts).hasValue(0);
    }

    @Test
    void anInterceptorThatThrowsOrReturnsNullFailsTheAppendNotTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        WAL throwing = open(p -> (ctx, msg, next) -> {
            throw boom;
        });
        assertThat(throwing.appendAsync(message("x"))).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isSameAs(boom);
        opener.close();

        WAL returningNull = open(p -> (ctx, msg, next) -> null);
        assertThat(returningNull.appendAsync(message("x"))).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isInstanceOf(NullPointerException.class).withMessageContaining("null future");
    }

    @Test
    void buildersGetTheChannelConfigBackendAndAFutureOfTheFinalWAL() {
        AtomicReference<InterceptorBuildParam> param = new AtomicReference<>();
        WAL wal = open(p -> {
            param.set(p);
            assertThat(p.wal()).isNotDone();
            return recording("a");
        });

        assertThat(param.get().channel()).isEqualTo(wal.channel());
        assertThat(param.get().config().asMap()).isEqualTo(AdaptorTestUtils.fastRetries().asMap());
        assertThat(param.get().backend()).isSameAs(backend.wals.get(0));
        assertThat(param.get().capabilities()).isEqualTo(backend.capabilities());
        assertThat(param.get().wal()).isCompletedWithValue(wal);
    }

    @Test
    void anInterceptorMayAppendThroughTheWholeWAL() {
        AtomicReference<CompletableFuture<WAL>> walFuture = new AtomicReference<>();
        WAL wal = open(p -> {
            walFuture.set(p.wal());
            return (ctx, msg, next) -> next.append(ctx, msg);
        });

        AppendResult result = walFuture.get().join().append(message("through the chain"));

        assertThat(result.messageId()).isEqualTo(new FakeBackend.FakeId(0));
        assertThat(wal.metrics().appends()).isEqualTo(1);
    }

    @Test
    void aFailingBuilderFailsTheOpenAndClosesWhatWasBuiltAndTheBackend() {
        IllegalStateException broken = new IllegalStateException("cannot build");
        AtomicReference<CompletableFuture<WAL>> walFuture = new AtomicReference<>();
        opener = WALRegistry.builder(backend, p -> {
            walFuture.set(p.wal());
            return recording("a");
        }, p -> {
            throw broken;
        }).build(AdaptorTestUtils.fastRetries());

        assertThatThrownBy(() -> opener.open(OpenOption.readWrite("chain", 7))).isSameAs(broken);

        assertThat(calls).containsExactly("a close");
        assertThat(backend.events).contains("close chain:rw@7");
        assertThat(walFuture.get()).isCompletedExceptionally();
    }

    @Test
    void closeRunsGracefulCloseFirstWhileAppendsAreStillAdmittedThenClosesInnermostFirst() {
        AtomicReference<CompletableFuture<WAL>> walFuture = new AtomicReference<>();
        AtomicReference<CompletableFuture<AppendResult>> duringGracefulClose = new AtomicReference<>();
        WAL wal = open(p -> {
            walFuture.set(p.wal());
            return new Interceptor() {
                @Override
                public CompletableFuture<AppendOutcome> doAppend(AppendContext ctx, MutableMessage message,
                                                                 AppendNext next) {
                    return next.append(ctx, message);
                }

                @Override
                public void gracefulClose() {
                    calls.add("outer gracefulClose");
                    duringGracefulClose.set(walFuture.get().join().appendAsync(message("last words")));
                }

                @Override
                public void close() {
                    calls.add("outer close");
                }
            };
        }, p -> recording("inner"));

        wal.close();

        assertThat(duringGracefulClose.get()).isCompleted().isNotCompletedExceptionally();
        assertThat(calls.get(0)).isEqualTo("outer gracefulClose");
        assertThat(calls).containsSubsequence("outer gracefulClose", "inner gracefulClose", "inner close",
                "outer close");
        // The append made during the graceful close finished before the interceptors were closed.
        assertThat(calls).containsSubsequence("inner before", "inner after", "inner close");
        assertThat(calls).hasSize(6);
        int backendClosed = backend.events.indexOf("close chain:rw@7");
        assertThat(backendClosed).isPositive();
    }

    @Test
    void metricsReportEachInterceptorsOwnTime() {
        WAL wal = open(p -> recording("outer"), p -> recording("inner"));

        wal.append(message("x"));

        await().until(() -> wal.metrics().interceptorNanos().keySet().containsAll(List.of("outer", "inner")));
        assertThat(wal.metrics().interceptorNanos().get("outer")).isPositive();
        assertThat(wal.metrics().interceptorNanos().get("inner")).isPositive();
    }

    private static Interceptor readyWhen(CompletableFuture<Void> ready) {
        return new Interceptor() {
            @Override
            public CompletableFuture<AppendOutcome> doAppend(AppendContext ctx, MutableMessage message,
                                                             AppendNext next) {
                return next.append(ctx, message);
            }

            @Override
            public CompletableFuture<Void> ready() {
                return ready;
            }
        };
    }
}
