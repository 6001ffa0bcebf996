package io.wal4j.adaptor;

import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.wal4j.adaptor.AdaptorTestUtils.message;
import static io.wal4j.adaptor.AdaptorTestUtils.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ScannerAdaptorTest {

    private final FakeBackend backend = new FakeBackend();
    private Opener opener;
    private WAL wal;

    @BeforeEach
    void open() {
        opener = WALRegistry.builder(backend).build(AdaptorTestUtils.fastRetries());
        wal = opener.open(OpenOption.readWrite("scan", 2));
    }

    @AfterEach
    void close() {
        opener.close();
    }

    @Test
    void aScannerDeliversTheWrittenMessagesInOrder() {
        for (int i = 0; i < 5; i++) {
            wal.append(message("m" + i));
        }
        try (Scanner scanner = wal.read(ReadOption.all())) {
            for (int i = 0; i < 5; i++) {
                assertThat(text(scanner.take().payload())).isEqualTo("m" + i);
            }
            assertThat(scanner.poll(Duration.ofMillis(1))).isNull();
            assertThat(scanner.channel()).isEqualTo(wal.channel());
        }
    }

    @Test
    void aScannerSeesMessagesAppendedWhileItWaits() throws Exception {
        try (Scanner scanner = wal.read(ReadOption.all())) {
            CompletableFuture<ImmutableMessage> taken = CompletableFuture.supplyAsync(scanner::take);

            wal.append(message("late"));

            assertThat(text(taken.get(10, TimeUnit.SECONDS).payload())).isEqualTo("late");
        }
    }

    /** Starts a consumer blocked in take(); returns its outcome once released. */
    private CompletableFuture<Throwable> blockedTake(Scanner scanner) {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread consumer = new Thread(() -> {
            started.countDown();
            try {
                scanner.take();
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        }, "test-consumer");
        consumer.start();
        await().until(() -> started.getCount() == 0 && consumer.getState() == Thread.State.WAITING);
        return outcome;
    }

    @Test
    void aBlockedTakeIsReleasedByTheWALsClose() throws Exception {
        Scanner scanner = wal.read(ReadOption.all());
        CompletableFuture<Throwable> outcome = blockedTake(scanner);

        wal.close();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(WALClosedException.class)
                .hasMessageContaining(scanner.name())
                .cause().hasMessageContaining("closed by thread " + Thread.currentThread().getName());
        assertThat(scanner.done()).isCompleted();
    }

    @Test
    void aBlockedTakeIsReleasedByTheOpenersClose() throws Exception {
        Scanner scanner = wal.read(ReadOption.all());
        CompletableFuture<Throwable> outcome = blockedTake(scanner);

        opener.close();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(WALClosedException.class).cause().isNotNull();
        assertThat(backend.events).containsSubsequence("close scan:rw@2", "close opener");
    }

    @Test
    void aBlockedTakeIsReleasedByTheScannersOwnClose() throws Exception {
        Scanner scanner = wal.read(ReadOption.all());
        CompletableFuture<Throwable> outcome = blockedTake(scanner);

        scanner.close();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(WALClosedException.class)
                .cause().hasMessageContaining("closed by thread");
        assertThat(wal.isAvailable()).isTrue();
    }

    @Test
    void callsAfterCloseFailWithWhoClosedIt() {
        Scanner scanner = wal.read(ReadOption.all());
        scanner.close();
        scanner.close();

        assertThatThrownBy(scanner::take).isInstanceOf(WALClosedException.class)
                .cause().hasMessageContaining("closed by thread " + Thread.currentThread().getName());
        assertThatThrownBy(() -> scanner.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
        assertThatThrownBy(() -> scanner.poll(null)).isInstanceOf(NullPointerException.class).hasMessage("timeout");
        assertThat(scanner.done()).isCompleted().isNotCompletedExceptionally();
    }

    @Test
    void doneFailsWithTheCauseWhenTheBackendScannerFails() {
        Scanner scanner = wal.read(ReadOption.all());
        WALStorageException broken = new WALStorageException("segment unreadable");

        backend.wals.get(0).scanners.get(0).fail(broken);

        assertThat(scanner.done()).failsWithin(Duration.ZERO).withThrowableThat().havingCause().isSameAs(broken);
        assertThat(wal.metrics().activeScanners()).isZero();
    }

    @Test
    void scannersAreCountedAndDeregisterWhenClosed() {
        Scanner first = wal.read(ReadOption.all());
        Scanner second = wal.read(ReadOption.all());
        assertThat(wal.metrics().activeScanners()).isEqualTo(2);

        first.close();

        assertThat(wal.metrics().activeScanners()).isEqualTo(1);
        wal.close();
        assertThat(second.done()).isCompleted();
        assertThat(wal.metrics().activeScanners()).isZero();
    }

    @Test
    void unnamedScannersGetChannelTermSequenceNames() {
        Scanner first = wal.read(ReadOption.all());
        Scanner second = wal.read(ReadOption.all());
        Scanner named = wal.read(ReadOption.newBuilder().name("audit").build());

        assertThat(first.name()).isEqualTo("scan/2/0");
        assertThat(second.name()).isEqualTo("scan/2/1");
        assertThat(named.name()).isEqualTo("audit");
        assertThat(backend.wals.get(0).scanners).extracting(FakeBackend.FakeScanner::name)
                .containsExactly("scan/2/0", "scan/2/1", "audit");
    }

    @Test
    void aNameTakenByALiveScannerIsRefusedAndFreedByItsClose() {
        Scanner audit = wal.read(ReadOption.newBuilder().name("audit").build());

        assertThatThrownBy(() -> wal.read(ReadOption.newBuilder().name("audit").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"audit\"");

        audit.close();
        assertThat(wal.read(ReadOption.newBuilder().name("audit").build()).name()).isEqualTo("audit");
    }

    @Test
    void anAllocatedNameSkipsOneAUserTook() {
        wal.read(ReadOption.newBuilder().name("scan/2/0").build());

        assertThat(wal.read(ReadOption.all()).name()).isEqualTo("scan/2/1");
    }

    @Test
    void readOfNullThrowsNullPointerException() {
        assertThatThrownBy(() -> wal.read(null)).isInstanceOf(NullPointerException.class).hasMessage("option");
    }

    @Test
    void theFiltersOfTheOptionApplyToTheScanner() {
        wal.append(onVChannel("a", "v1"));
        wal.append(onVChannel("b", "v2"));
        wal.append(onVChannel("c", ""));
        try (Scanner scanner = wal.read(ReadOption.newBuilder().vchannel("v1").build())) {
            assertThat(text(scanner.take().payload())).isEqualTo("a");
            assertThat(text(scanner.take().payload())).isEqualTo("c");
            assertThat(scanner.poll(Duration.ofMillis(1))).isNull();
        }
    }

    private static io.wal4j.api.message.MutableMessage onVChannel(String payload, String vchannel) {
        return io.wal4j.api.message.MutableMessage.newBuilder()
                .payload(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)).vchannel(vchannel).build();
    }
}
