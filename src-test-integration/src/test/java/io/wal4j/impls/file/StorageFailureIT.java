package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Disk full and failing force through the storage seam (issue 6, item 7): appends fail with
 * {@link WALStorageException}, nothing is falsely acknowledged, the WAL is poisoned (every later append fails fast
 * with the same cause), and reopening recovers everything acknowledged — also after a power loss that follows the
 * failed force. Checked on the backend and through the full WAL.
 */
class StorageFailureIT {

    private Path root;
    private final List<MutableMessage> acknowledged = new ArrayList<>();

    @BeforeEach
    void createRoot() throws IOException {
        root = ScratchDirs.create("wal4j-storage-failure-");
    }

    @AfterEach
    void deleteRoot() throws IOException {
        PowerLossIT.deleteTree(root);
    }

    private FileConfig config() {
        return FileConfig.from(WALConfig.of(Map.of("wal.file.dir", root.toString(), "wal.file.segment-bytes",
                "1024")));
    }

    private void appendAcknowledged(FileWAL wal, int from, int to) throws Exception {
        Random random = new Random(from);
        for (int i = from; i < to; i++) {
            MutableMessage m = PowerLossIT.message(i, random);
            assertThat(wal.append(m, Durability.DISK).get(30, TimeUnit.SECONDS)).isEqualTo(FileMessageId.of(i));
            acknowledged.add(m);
        }
    }

    @Test
    void aFullDiskFailsAppendsPoisonsTheWALAndReopeningRecoversEveryAcknowledgedMessage() throws Exception {
        PowerLossStorage storage = new PowerLossStorage();
        try (FileOpener opener = new FileOpener(config(), storage, System::currentTimeMillis)) {
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("full", 1));
            appendAcknowledged(wal, 0, 10);
            IOException enospc = new IOException("No space left on device");
            storage.failWrites(enospc);
            List<CompletableFuture<MessageId>> failing = appendMany(wal, 10, 20);
            for (CompletableFuture<MessageId> f : failing) {
                assertFailsWithStorageException(f);
            }
            storage.failWrites(null);
            // Poisoned: the disk has room again, but the WAL keeps failing until it is reopened.
            assertFailsWithStorageException(wal.append(PowerLossIT.message(99, new Random()), Durability.DISK));
            wal.close();
        }
        reopenAndCheck("full");
    }

    @Test
    void aFailedForceAcknowledgesNothingPoisonsTheWALAndAPowerLossAfterItLosesNothingAcknowledged() throws Exception {
        PowerLossStorage storage = new PowerLossStorage();
        try (FileOpener opener = new FileOpener(config(), storage, System::currentTimeMillis)) {
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("fsync", 1));
            appendAcknowledged(wal, 0, 10);
            storage.failForces(new IOException("Input/output error (fsync)"));
            for (CompletableFuture<MessageId> f : appendMany(wal, 10, 20)) {
                assertFailsWithStorageException(f);
            }
            storage.failForces(null);
            assertFailsWithStorageException(wal.append(PowerLossIT.message(99, new Random()), Durability.OS));
            // The bytes of the failed batch may sit in the page cache; the power goes before anything forces them.
            storage.powerLoss(PowerLossStorage.Loss.DROP_UNFORCED, new Random(1));
            wal.close();
        }
        reopenAndCheck("fsync");
    }

    @Test
    void throughTheFullWALAFullDiskFailsTheAppendWithWALStorageException() throws Exception {
        PowerLossStorage storage = new PowerLossStorage();
        try (Opener opener = WALRegistry.builder(new SeamBackend(storage)).build(WALConfig.of(Map.of(
                "wal.file.dir", root.toString())));
             WAL wal = opener.open(OpenOption.readWrite("adaptor", 1))) {
            wal.append(MutableMessage.newBuilder().payload(new byte[] {1}).build());
            storage.failWrites(new IOException("No space left on device"));
            CompletableFuture<?> failing = wal.appendAsync(MutableMessage.newBuilder().payload(new byte[] {2}).build(),
                    Duration.ofSeconds(10));
            assertThat(failing).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(WALStorageException.class);
        }
    }

    private static List<CompletableFuture<MessageId>> appendMany(FileWAL wal, int from, int to) {
        Random random = new Random(from);
        List<CompletableFuture<MessageId>> futures = new ArrayList<>();
        for (int i = from; i < to; i++) {
            futures.add(wal.append(PowerLossIT.message(i, random), i % 2 == 0 ? Durability.DISK : Durability.OS));
        }
        return futures;
    }

    private static void assertFailsWithStorageException(CompletableFuture<MessageId> future) {
        assertThat(future).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(WALStorageException.class);
    }

    /** Reopens on the real storage: every acknowledged message is there, first, intact; appends resume. */
    private void reopenAndCheck(String channel) throws Exception {
        try (FileOpener opener = new FileOpener(config(), Storage.real(), System::currentTimeMillis);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite(channel, 1))) {
            List<ImmutableMessage> read = PowerLossIT.readAll(wal);
            assertThat(read.size()).as("messages after reopen").isGreaterThanOrEqualTo(acknowledged.size());
            for (int i = 0; i < acknowledged.size(); i++) {
                assertThat(read.get(i).payload()).as("payload " + i).isEqualTo(acknowledged.get(i).payload());
                assertThat(read.get(i).properties()).as("properties " + i).isEqualTo(acknowledged.get(i).properties());
            }
            MessageId next = wal.append(PowerLossIT.message(500, new Random()), Durability.DISK).get(30,
                    TimeUnit.SECONDS);
            assertThat(next).isEqualTo(FileMessageId.of(read.size()));
        }
    }
}
