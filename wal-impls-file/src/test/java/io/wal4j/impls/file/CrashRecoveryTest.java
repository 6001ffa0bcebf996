package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.payload;
import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Power loss, torn writes, full disks and failed forces, injected through {@link FaultyStorage}. */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void afterPowerLossEveryDiskAcknowledgedMessageIsThereInOrderAndIntact() throws Exception {
        FileConfig config = config(dir, "segment-bytes", "2KiB");
        FaultyStorage storage = new FaultyStorage();
        Map<Long, String> acked = new TreeMap<>();
        List<CompletableFuture<MessageId>> inFlight = new ArrayList<>();
        Map<Long, String> ackedAtCrash;
        try (FileOpener opener = opener(config, storage)) {
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
            List<Thread> writers = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 100; i++) {
                        int n = thread * 1000 + i;
                        Durability level = i % 3 == 0 ? Durability.DISK : Durability.OS;
                        CompletableFuture<MessageId> f = wal.append(message(n), level);
                        if (level == Durability.DISK) {
                            f.thenAccept(id -> {
                                synchronized (acked) {
                                    acked.put(((FileMessageId) id).sequence(), "payload-" + n);
                                }
                            });
                        }
                        synchronized (inFlight) {
                            inFlight.add(f);
                        }
                    }
                });
                th.start();
                writers.add(th);
            }
            start.countDown();
            // Cut the power while appends are still flowing.
            org.awaitility.Awaitility.await().until(() -> storage.forces.get() > 10);
            synchronized (acked) {
                storage.powerLoss();
                ackedAtCrash = new TreeMap<>(acked);
            }
            for (Thread th : writers) {
                th.join();
            }
            wal.close();
        }
        assertThat(ackedAtCrash).isNotEmpty();
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            List<ImmutableMessage> all = readAll(wal);
            Map<Long, String> recovered = new TreeMap<>();
            long expected = 0;
            for (ImmutableMessage m : all) {
                assertThat(((FileMessageId) m.id()).sequence()).isEqualTo(expected++);
                recovered.put(((FileMessageId) m.id()).sequence(), payload(m));
                assertThat(m.property("k")).isEqualTo("v-" + payload(m).substring("payload-".length()));
            }
            assertThat(recovered).containsAllEntriesOf(ackedAtCrash);
        }
    }

    @Test
    void aFailedForcePoisonsTheWALAndNothingUnforcedIsAcknowledged() {
        FaultyStorage storage = new FaultyStorage();
        FileConfig config = config(dir);
        try (FileOpener opener = opener(config, storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            wal.append(message(0), Durability.DISK).join();
            storage.failForces(new IOException("EIO on fsync"));
            CompletableFuture<MessageId> failed = wal.append(message(1), Durability.DISK);
            assertThat(failed).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOf(WALStorageException.class).withMessageContaining("poisoned");
            storage.failForces(null);
            for (Durability level : List.of(Durability.OS, Durability.DISK)) {
                assertThatThrownBy(() -> wal.append(message(2), level).join())
                        .hasCauseInstanceOf(WALStorageException.class).cause()
                        .hasRootCauseMessage("EIO on fsync");
            }
        }
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThat(readAll(wal)).extracting(FileTestUtils::payload).startsWith("payload-0");
            assertThat(wal.append(message(3), Durability.DISK)).succeedsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void aFullDiskPoisonsTheWALAndReopeningRecovers() {
        FaultyStorage storage = new FaultyStorage();
        FileConfig config = config(dir);
        try (FileOpener opener = opener(config, storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            wal.append(message(0), Durability.DISK).join();
            storage.failWrites(new IOException("No space left on device"));
            assertThatThrownBy(() -> wal.append(message(1), Durability.OS).join())
                    .hasCauseInstanceOf(WALStorageException.class).hasRootCauseMessage("No space left on device");
            storage.failWrites(null);
            assertThatThrownBy(() -> wal.append(message(2), Durability.OS).join())
                    .hasCauseInstanceOf(WALStorageException.class);
        }
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThat(wal.recoveryReport().isClean()).isTrue();
            assertThat(readAll(wal)).hasSize(1);
            assertThat(wal.append(message(1), Durability.DISK).join()).isEqualTo(FileMessageId.of(1));
        }
    }

    @Test
    void aTornWriteIsTruncatedAtReopenAndReported() {
        FaultyStorage storage = new FaultyStorage();
        FileConfig config = config(dir);
        try (FileOpener opener = opener(config, storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 3; i++) {
                wal.append(message(i), Durability.DISK).join();
            }
            storage.tearNextWrite(7);
            assertThatThrownBy(() -> wal.append(message(3), Durability.DISK).join())
                    .hasCauseInstanceOf(WALStorageException.class);
        }
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThat(wal.recoveryReport().drops()).singleElement().satisfies(d -> {
                assertThat(d.bytes()).isEqualTo(7);
                assertThat(d.reason()).isEqualTo("torn record header");
            });
            assertThat(readAll(wal)).extracting(FileTestUtils::payload)
                    .containsExactly("payload-0", "payload-1", "payload-2");
        }
    }
}
