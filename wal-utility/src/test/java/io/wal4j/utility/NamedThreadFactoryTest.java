package io.wal4j.utility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamedThreadFactoryTest {

    @Test
    void threadsAreNamedWithThePrefixAndACountFromOne() {
        NamedThreadFactory factory = new NamedThreadFactory("wal4j-file-writer-orders");

        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });

        assertThat(first.getName()).isEqualTo("wal4j-file-writer-orders-1");
        assertThat(second.getName()).isEqualTo("wal4j-file-writer-orders-2");
        assertThat(first.getState()).isEqualTo(Thread.State.NEW);
    }

    @Test
    void threadsAreDaemonByDefault() {
        assertThat(new NamedThreadFactory("wal4j-x").newThread(() -> { }).isDaemon()).isTrue();
    }

    @Test
    void nonDaemonThreadsCanBeAskedFor() {
        assertThat(new NamedThreadFactory("wal4j-x", false).newThread(() -> { }).isDaemon()).isFalse();
    }

    @Test
    void anExecutorsThreadsAllCarryDistinctNames() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads, new NamedThreadFactory("wal4j-test-pool"));
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch allRunning = new CountDownLatch(threads);
        try {
            for (int i = 0; i < threads; i++) {
                pool.execute(() -> {
                    names.add(Thread.currentThread().getName());
                    allRunning.countDown();
                    try {
                        // Hold each thread until all are running so the pool must create all four.
                        allRunning.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(allRunning.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(names).containsExactlyInAnyOrder(
                "wal4j-test-pool-1", "wal4j-test-pool-2", "wal4j-test-pool-3", "wal4j-test-pool-4");
    }

    @Test
    void anUncaughtExceptionIsHandledNotPropagated() throws Exception {
        Thread thread = new NamedThreadFactory("wal4j-test-failing").newThread(() -> {
            throw new IllegalStateException("expected by the test");
        });

        assertThat(thread.getUncaughtExceptionHandler()).isNotSameAs(thread.getThreadGroup());
        thread.start();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void nullPrefixIsRefusedNamingTheArgument() {
        assertThatThrownBy(() -> new NamedThreadFactory(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("prefix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankPrefixIsRefusedQuotingIt(String prefix) {
        assertThatThrownBy(() -> new NamedThreadFactory(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + prefix + "\"");
    }

    @Test
    void nullTaskIsRefusedNamingTheArgument() {
        assertThatThrownBy(() -> new NamedThreadFactory("wal4j-x").newThread(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("task");
    }
}
