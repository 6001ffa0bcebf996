package io.wal4j.adaptor;

import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import java.time.Duration;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.wal4j.adaptor.AdaptorTestUtils.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenerAdaptorTest {

    private final FakeBackend backend = new FakeBackend();
    private Opener opener;

    @BeforeEach
    void build() {
        opener = WALRegistry.builder(backend).build(AdaptorTestUtils.fastRetries());
    }

    @AfterEach
    void close() {
        opener.close();
    }

    @Test
    void closeClosesTheLiveWALsNewestFirstThenTheBackend() {
        WAL a = opener.open(OpenOption.readWrite("a", 1));
        WAL b = opener.open(OpenOption.readWrite("b", 1));
        ReadOnlyWAL c = opener.openReadOnly(OpenOption.readOnly("c", 1));
        WAL d = opener.open(OpenOption.readWrite("d", 1));
        b.close();

        opener.close();

        assertThat(backend.events).containsSubsequence("close b:rw@1", "close d:rw@1", "close c:ro@1",
                "close a:rw@1", "close opener");
        assertThat(List.of(a.isAvailable(), c.isAvailable(), d.isAvailable())).containsOnly(false);
    }

    @Test
    void aClosedWALDeregistersFromItsOpener() {
        WAL a = opener.open(OpenOption.readWrite("a", 1));
        opener.open(OpenOption.readWrite("b", 1));
        OpenerAdaptor adaptor = (OpenerAdaptor) opener;
        assertThat(adaptor.openWALs()).isEqualTo(2);

        a.close();

        assertThat(adaptor.openWALs()).isEqualTo(1);
    }

    @Test
    void openerCloseKeepsGoingWhenClosingAWALFails() {
        WALConfig config = AdaptorTestUtils.fastRetries();
        opener.close();
        opener = WALRegistry.builder(backend, p -> new io.wal4j.adaptor.interceptor.Interceptor() {
            @Override
            public CompletableFuture<io.wal4j.adaptor.interceptor.AppendOutcome> doAppend(
                    io.wal4j.adaptor.interceptor.AppendContext ctx, io.wal4j.api.message.MutableMessage m,
                    io.wal4j.adaptor.interceptor.AppendNext next) {
                return next.append(ctx, m);
            }

            @Override
            public void close() {
                throw new IllegalStateException("interceptor close fails");
            }
        }).build(config);
        opener.open(OpenOption.readWrite("a", 1));
        opener.open(OpenOption.readWrite("b", 1));

        opener.close();

        assertThat(backend.events).containsSubsequence("close b:rw@1", "close a:rw@1", "close opener");
    }

    @Test
    void openAfterCloseFailsWithWALClosedExceptionCausedByTheCloser() {
        opener.close();
        opener.close();

        assertThatThrownBy(() -> opener.open(OpenOption.readWrite("a", 1))).isInstanceOf(WALClosedException.class)
                .cause().hasMessageContaining("closed by thread " + Thread.currentThread().getName());
        assertThatThrownBy(() -> opener.openReadOnly(OpenOption.readOnly("a", 1)))
                .isInstanceOf(WALClosedException.class);
        assertThat(backend.events).containsOnlyOnce("close opener");
    }

    @Test
    void openRefusesAReadOnlyOptionAndNull() {
        assertThatThrownBy(() -> opener.open(OpenOption.readOnly("a", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a:ro@1");
        assertThatThrownBy(() -> opener.open(null)).isInstanceOf(NullPointerException.class).hasMessage("option");
        assertThatThrownBy(() -> opener.openReadOnly(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("option");
    }

    @Test
    void openReadOnlyIgnoresTheAccessModeOfTheOption() {
        ReadOnlyWAL reader = opener.openReadOnly(OpenOption.readWrite("a", 4));

        assertThat(reader).isNotInstanceOf(WAL.class);
        assertThat(reader.channel()).isEqualTo(OpenOption.readOnly("a", 4).channel());
        assertThat(reader.walName()).isEqualTo(FakeBackend.NAME);
    }

    @Test
    void unknownAdaptorKeysAreRefusedAtBuild() {
        assertThatThrownBy(() -> WALRegistry.builder(backend)
                .build(WALConfig.of(Map.of("wal.adaptor.retry", "1ms"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wal.adaptor.retry");
        assertThatThrownBy(() -> WALRegistry.builder(backend).build(WALConfig.of(Map.of(
                AdaptorConfig.APPEND_RETRY_INITIAL.name(), "10s", AdaptorConfig.APPEND_RETRY_MAX.name(), "1s"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> WALRegistry.builder(backend).build(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void concurrentOpensAndCloseLeaveNoWALOpen() throws Exception {
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            CompletableFuture<Integer> opened = new CompletableFuture<>();
            results.add(opened);
            new Thread(() -> {
                int count = 0;
                try {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        WAL wal = opener.open(OpenOption.readWrite("c" + id + "-" + i, 1));
                        wal.appendAsync(message("x"));
                        count++;
                    }
                } catch (WALClosedException expected) {
                    // the opener closed under us: the remaining opens are refused
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                opened.complete(count);
            }, "test-opener-" + t).start();
        }
        start.countDown();

        opener.close();

        int opened = 0;
        for (CompletableFuture<Integer> r : results) {
            opened += r.get(10, TimeUnit.SECONDS);
        }
        assertThat(((OpenerAdaptor) opener).openWALs()).isZero();
        long closedWALs = backend.events.stream().filter(e -> e.startsWith("close c")).count();
        assertThat(closedWALs).isEqualTo(opened);
        assertThat(backend.wals).allSatisfy(w -> assertThat(w.closed).isTrue());
    }

    @Test
    void aFullWALEnforcesTheSizeLimitTheBackendsOpenerWasConfiguredWith() {
        try (Opener small = WALRegistry.builder(MemoryOpenerBuilder.NAME).build(WALConfig.of(Map.of(
                MemoryOpenerBuilder.MAX_MESSAGE_BYTES.name(), "1KiB")))) {
            WAL wal = small.open(OpenOption.readWrite("limited", 1));
            MutableMessage tooLarge = MutableMessage.newBuilder().payload(new byte[2048]).build();

            assertThat(wal.appendAsync(tooLarge)).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOf(MessageTooLargeException.class).withMessageContaining("1024");
            assertThat(wal.append(MutableMessage.newBuilder().payload(new byte[100]).build()).messageId())
                    .isNotNull();
        }
    }
}
