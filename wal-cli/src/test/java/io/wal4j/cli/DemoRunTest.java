package io.wal4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo workload on the memory backend, with the WAL or the scanner wrapped to lose, repeat or fail one
 * message, and checks that the report says so.
 */
class DemoRunTest {

    private static final AtomicInteger CHANNELS = new AtomicInteger();
    private static final Duration SHORT_STALL = Duration.ofMillis(300);
    private static final String VICTIM = "5";

    private Opener opener;
    private WAL wal;
    private Scanner scanner;
    private DemoSettings settings;

    @BeforeEach
    void open() {
        String channel = "run-" + CHANNELS.incrementAndGet();
        settings = new DemoSettings("memory", Optional.empty(), channel, 40, 2, 16, 4, Optional.empty(), false);
        opener = WALRegistry.builder("memory").build(WALConfig.empty());
        wal = opener.open(OpenOption.readWrite(channel, 1));
        scanner = wal.read(ReadOption.all());
    }

    @AfterEach
    void close() {
        opener.close();
    }

    @Test
    void aCleanRunReportsEveryMessageDeliveredAndNoProblem() throws InterruptedException {
        DemoReport report = new DemoRun(wal, scanner, settings, SHORT_STALL).execute();

        assertThat(report.problems()).isEmpty();
        assertThat(report.acknowledged()).isEqualTo(40);
        assertThat(report.delivered()).isEqualTo(40);
        assertThat(report.sortedLagNanos()).hasSize(40);
    }

    @Test
    void aMessageTheScannerNeverDeliversIsReportedMissing() throws InterruptedException {
        Scanner lossy = mock(Scanner.class, delegatesTo(scanner));
        doAnswer(call -> {
            ImmutableMessage message = scanner.poll(call.getArgument(0));
            return isVictim(message) ? scanner.poll(call.getArgument(0)) : message;
        }).when(lossy).poll(any());

        DemoReport report = new DemoRun(wal, lossy, settings, SHORT_STALL).execute();

        assertThat(report.succeeded()).isFalse();
        assertThat(report.problems()).anyMatch(p -> p.matches("message 5 acknowledged as \\S+ but never delivered"))
                .contains("1 acknowledged messages never delivered");
    }

    @Test
    void aMessageTheScannerDeliversTwiceIsReportedAsADuplicate() throws InterruptedException {
        AtomicReference<ImmutableMessage> again = new AtomicReference<>();
        Scanner repeating = mock(Scanner.class, delegatesTo(scanner));
        doAnswer(call -> {
            ImmutableMessage repeat = again.getAndSet(null);
            if (repeat != null) {
                return repeat;
            }
            ImmutableMessage message = scanner.poll(call.getArgument(0));
            if (isVictim(message)) {
                again.set(message);
            }
            return message;
        }).when(repeating).poll(any());

        DemoReport report = new DemoRun(wal, repeating, settings, SHORT_STALL).execute();

        assertThat(report.problems()).anyMatch(p -> p.startsWith("message 5 delivered twice"))
                .contains("1 duplicate deliveries");
    }

    @Test
    void aFailedAppendIsReportedWithItsCause() throws InterruptedException {
        WAL failing = mock(WAL.class, delegatesTo(wal));
        doAnswer(call -> {
            MutableMessage message = call.getArgument(0);
            return VICTIM.equals(message.property(DemoMessages.SEQ))
                    ? CompletableFuture.failedFuture(new WALStorageException("disk on fire"))
                    : wal.appendAsync(message);
        }).when(failing).appendAsync(any());

        DemoReport report = new DemoRun(failing, scanner, settings, SHORT_STALL).execute();

        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.acknowledged()).isEqualTo(39);
        assertThat(report.problems()).first().asString()
                .isEqualTo("1 of 40 appends failed; the first with: io.wal4j.api.WALStorageException: disk on fire");
    }

    private static boolean isVictim(ImmutableMessage message) {
        return message != null && VICTIM.equals(message.property(DemoMessages.SEQ));
    }
}
