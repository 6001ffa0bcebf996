package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class SharedSchedulerTest {

    @Test
    void leasesShareOneThreadThatStopsWithTheLastLease() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(4);
        SharedScheduler.Lease first = SharedScheduler.acquire();
        SharedScheduler.Lease second = SharedScheduler.acquire();
        first.every(Duration.ofMillis(1), ran::countDown);
        second.every(Duration.ofMillis(1), ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(AdaptorTestUtils.liveThreads("wal4j-timetick")).hasSize(1);
        first.close();
        first.close(); // idempotent: must not release the second lease's share
        assertThat(AdaptorTestUtils.liveThreads("wal4j-timetick")).hasSize(1);
        second.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> AdaptorTestUtils.liveThreads("wal4j-timetick").isEmpty());
    }
}
