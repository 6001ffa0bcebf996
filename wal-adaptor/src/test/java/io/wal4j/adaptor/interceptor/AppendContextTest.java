package io.wal4j.adaptor.interceptor;

import io.wal4j.api.Durability;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.TxnContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendContextTest {

    private final AppendContext ctx = AppendContext.create(PChannelInfo.readWrite("c", 1), Durability.DISK);

    @Test
    void aFreshContextHasNoResultFieldsAndIsNotCancelled() {
        assertThat(ctx.channel()).isEqualTo(PChannelInfo.readWrite("c", 1));
        assertThat(ctx.durability()).isEqualTo(Durability.DISK);
        assertThat(ctx.timeTick()).isZero();
        assertThat(ctx.txnContext()).isEmpty();
        assertThat(ctx.extra()).isEmpty();
        assertThat(ctx.notPersistedId()).isEmpty();
        assertThat(ctx.isCancelled()).isFalse();
    }

    @Test
    void resultFieldsAreKept() {
        TxnContext txn = new TxnContext(3, Duration.ofSeconds(1));
        MessageId id = new MessageId() {
            @Override
            public String walName() {
                return "test";
            }

            @Override
            public byte[] marshal() {
                return new byte[0];
            }

            @Override
            public int compareTo(MessageId other) {
                return 0;
            }
        };

        ctx.setTimeTick(77);
        ctx.setTxnContext(txn);
        ctx.putExtra("a", "1");
        ctx.putExtra("a", "2");
        ctx.setNotPersistedId(id);

        assertThat(ctx.timeTick()).isEqualTo(77);
        assertThat(ctx.txnContext()).contains(txn);
        assertThat(ctx.extra()).containsExactlyEntriesOf(java.util.Map.of("a", "2"));
        assertThat(ctx.notPersistedId()).containsSame(id);
    }

    @Test
    void nullsAreRefusedByName() {
        assertThatThrownBy(() -> ctx.putExtra(null, "v")).hasMessage("key");
        assertThatThrownBy(() -> ctx.putExtra("k", null)).hasMessage("value");
        assertThatThrownBy(() -> ctx.setTxnContext(null)).hasMessage("txn");
        assertThatThrownBy(() -> ctx.cancel(null)).hasMessage("reason");
        assertThatThrownBy(() -> ctx.onCancel(null)).hasMessage("callback");
        assertThatThrownBy(() -> AppendContext.create(null, Durability.OS)).hasMessage("channel");
    }

    @Test
    void onlyTheFirstCancellationCountsAndEveryCallbackRunsOnce() {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        ctx.onCancel(seen::add);
        ctx.onCancel(seen::add);
        IllegalStateException first = new IllegalStateException("first");

        assertThat(ctx.cancel(first)).isTrue();
        assertThat(ctx.cancel(new IllegalStateException("second"))).isFalse();

        assertThat(seen).containsExactly(first, first);
        assertThat(ctx.cancellation()).containsSame(first);
    }

    @Test
    void aCallbackRegisteredAfterTheCancellationRunsAtOnce() {
        IllegalStateException reason = new IllegalStateException("gone");
        ctx.cancel(reason);
        List<Throwable> seen = new CopyOnWriteArrayList<>();

        ctx.onCancel(seen::add);

        assertThat(seen).containsExactly(reason);
    }

    @Test
    void anUnregisteredCallbackDoesNotRun() {
        AtomicInteger runs = new AtomicInteger();
        Runnable unregister = ctx.onCancel(r -> runs.incrementAndGet());

        unregister.run();
        ctx.cancel(new IllegalStateException());

        assertThat(runs).hasValue(0);
    }

    @Test
    void concurrentRegistrationAndCancellationRunEveryCallbackExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 500;
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> registrars = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread registrar = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    ctx.onCancel(r -> runs.incrementAndGet());
                }
            }, "test-registrar-" + t);
            registrar.start();
            registrars.add(registrar);
        }
        start.countDown();
        ctx.cancel(new IllegalStateException("racing"));
        for (Thread registrar : registrars) {
            registrar.join();
        }

        assertThat(runs).hasValue(threads * perThread);
    }
}
