package io.wal4j.spi.helper;

import static io.wal4j.spi.helper.HelperTestUtils.LONG;
import static io.wal4j.spi.helper.HelperTestUtils.awaitBlocked;
import static io.wal4j.spi.helper.HelperTestUtils.fork;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.spi.helper.HelperTestUtils.Forked;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenerLifetimeTest {

    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final OpenerLifetime<Tracked> lifetime = new OpenerLifetime<>("test opener");

    /** A WAL that records its close. */
    private class Tracked implements AutoCloseable {
        private final String name;

        Tracked(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            closed.add(name);
        }
    }

    @Test
    void guardReturnsWhatTheOpenReturnsWhileOpen() {
        assertThat(lifetime.guard(() -> "opened")).isEqualTo("opened");
        assertThat(lifetime.isClosed()).isFalse();
    }

    @Test
    void closeClosesEveryTrackedWALNewestFirstAndOnlyOnce() {
        for (String name : List.of("a", "b", "c")) {
            lifetime.track(lifetime.guard(() -> new Tracked(name)));
        }
        assertThat(lifetime.close()).isTrue();
        assertThat(lifetime.close()).isFalse();
        assertThat(closed).containsExactly("c", "b", "a");
    }

    @Test
    void aForgottenWALIsNotClosedByTheOpener() {
        Tracked a = new Tracked("a");
        Tracked b = new Tracked("b");
        lifetime.track(a);
        lifetime.track(b);
        lifetime.forget(a);
        assertThat(lifetime.openCount()).isEqualTo(1);
        lifetime.close();
        assertThat(closed).containsExactly("b");
    }

    @Test
    void anOpenAfterCloseThrowsWALClosedExceptionNamingTheOpenerAndWhereItClosed() {
        lifetime.close();
        assertThatThrownBy(() -> lifetime.guard(() -> "late")).isInstanceOf(WALClosedException.class)
                .hasMessageContaining("test opener").cause().isNotNull();
    }

    @Test
    void aThrowingWALDoesNotStopTheOthersFromClosing() {
        lifetime.track(new Tracked("a"));
        lifetime.track(new Tracked("b") {
            @Override
            public void close() {
                throw new IllegalStateException("broken backend");
            }
        });
        lifetime.track(new Tracked("c"));
        assertThat(lifetime.close()).isTrue();
        assertThat(closed).containsExactly("c", "a");
    }

    @Test
    void closeWaitsForAnOpenInFlightAndThenClosesWhatItOpened() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Forked<Tracked> opening = fork("open", () -> lifetime.guard(() -> {
            entered.countDown();
            awaitQuietly(release);
            Tracked wal = new Tracked("in-flight");
            lifetime.track(wal);
            return wal;
        }));
        entered.await();
        Forked<Boolean> closing = fork("close", lifetime::close);
        awaitBlocked(closing.thread());
        assertThat(closing.outcome()).isNotDone();
        assertThat(closed).isEmpty();
        release.countDown();
        assertThat(opening.outcome().get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
        assertThat(closing.outcome().get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(closed).containsExactly("in-flight");
    }

    @Test
    void openReadWriteChecksTheOptionBeforeTheLifetimeAndPassesTheChannel() {
        assertThatThrownBy(() -> lifetime.openReadWrite(null, channel -> channel))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("option");
        assertThatThrownBy(() -> lifetime.openReadWrite(OpenOption.readOnly("c", 2), channel -> channel))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c:ro@2");
        PChannelInfo opened = lifetime.openReadWrite(OpenOption.readWrite("c", 2), channel -> channel);
        assertThat(opened).isEqualTo(PChannelInfo.readWrite("c", 2));
        lifetime.close();
        assertThatThrownBy(() -> lifetime.openReadWrite(OpenOption.readWrite("c", 2), channel -> channel))
                .isInstanceOf(WALClosedException.class);
    }

    @Test
    void openReadOnlyOpensEvenAReadWriteOptionReadOnly() {
        assertThatThrownBy(() -> lifetime.openReadOnly(null, channel -> channel))
                .isInstanceOf(NullPointerException.class);
        PChannelInfo opened = lifetime.openReadOnly(OpenOption.readWrite("c", 2), channel -> channel);
        assertThat(opened).isEqualTo(PChannelInfo.readOnly("c", 2));
        lifetime.close();
        assertThatThrownBy(() -> lifetime.openReadOnly(OpenOption.readOnly("c", 2), channel -> channel))
                .isInstanceOf(WALClosedException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
