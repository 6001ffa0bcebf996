package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.fileThreads;
import static io.wal4j.impls.file.FileTestUtils.ids;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.payload;
import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.Durability;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWALTest {

    @TempDir
    Path dir;

    @Test
    void appendedMessagesReadBackWithIdsPayloadAndPropertiesIntact() {
        try (FileOpener opener = opener(config(dir), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            MutableMessage m = MutableMessage.newBuilder().payload(new byte[] {1, 2, 3}).property("a", "b")
                    .property("ü", "€").vchannel("v1").build();
            MessageId id = wal.append(m, Durability.DISK).join();
            assertThat(id).isEqualTo(FileMessageId.of(0));
            List<ImmutableMessage> read = readAll(wal);
            assertThat(read).hasSize(1);
            assertThat(read.get(0).payload()).containsExactly(1, 2, 3);
            assertThat(read.get(0).properties()).isEqualTo(m.properties());
            assertThat(read.get(0).vchannel()).isEqualTo("v1");
        }
    }

    @Test
    void idsAreDenseAndContinueAfterReopen() {
        FileConfig config = config(dir);
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 5; i++) {
                wal.append(message(i), Durability.OS).join();
            }
        }
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThat(wal.recoveryReport().isClean()).isTrue();
            assertThat(wal.append(message(5), Durability.DISK).join()).isEqualTo(FileMessageId.of(5));
            List<ImmutableMessage> all = readAll(wal);
            assertThat(ids(all)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(payload(all.get(3))).isEqualTo("payload-3");
        }
    }

    @Test
    void appendAfterCloseFailsWithWALClosedException() {
        try (FileOpener opener = opener(config(dir), Storage.real())) {
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
            wal.close();
            wal.close();
            assertThat(wal.append(message(0), Durability.DISK)).failsWithin(java.time.Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(WALClosedException.class);
            assertThatThrownBy(() -> wal.read(new io.wal4j.spi.ReadOptionImpls("s",
                    io.wal4j.api.DeliverPolicy.all(), 1))).isInstanceOf(WALClosedException.class);
        }
    }

    @Test
    void badArgumentsFailTheFutureWithJdkExceptions() {
        try (FileOpener opener = opener(config(dir), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThatThrownBy(() -> wal.append(null, Durability.DISK).join())
                    .hasCauseInstanceOf(NullPointerException.class).hasMessageContaining("message");
            assertThatThrownBy(() -> wal.append(message(0), Durability.REPLICATED).join())
                    .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("REPLICATED");
            assertThatThrownBy(() -> wal.truncate(null).join()).hasCauseInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> wal.truncate(new ForeignId()).join())
                    .hasCauseInstanceOf(InvalidMessageIdException.class);
            MutableMessage huge = MutableMessage.newBuilder()
                    .payload(new byte[(int) SegmentFormat.MAX_MESSAGE_BYTES + 1]).build();
            assertThatThrownBy(() -> wal.append(huge, Durability.DISK).join())
                    .hasCauseInstanceOf(MessageTooLargeException.class);
            assertThatThrownBy(() -> opener.open(OpenOption.readOnly("ch", 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ch");
        }
    }

    @Test
    void theOneArgumentAppendUsesTheConfiguredDefaultDurability() {
        FaultyStorage storage = new FaultyStorage();
        try (FileOpener opener = opener(config(dir, "durability", "OS"), storage);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThat(wal.defaultDurability()).isEqualTo(Durability.OS);
            int before = storage.forces.get();
            wal.append(message(0)).join();
            assertThat(storage.forces.get()).isEqualTo(before);
            assertThatThrownBy(() -> wal.append(message(1), null).join())
                    .hasCauseInstanceOf(NullPointerException.class).hasMessageContaining("durability");
        }
    }

    @Test
    void closeWritesQueuedAppendsFirstAndLeavesNoThreadBehind() {
        List<CompletableFuture<MessageId>> futures = new ArrayList<>();
        try (FileOpener opener = opener(config(dir), Storage.real())) {
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
            for (int i = 0; i < 200; i++) {
                futures.add(wal.append(message(i), Durability.DISK));
            }
            wal.close();
        }
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))).isCompleted();
        await().untilAsserted(() -> assertThat(fileThreads()).isEmpty());
    }

    @Test
    void closeRacingWithAppendsSucceedsOrRefusesEachAppendAndKeepsEverySuccess() throws Exception {
        FileConfig config = config(dir);
        List<CompletableFuture<MessageId>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (FileOpener opener = opener(config, Storage.real())) {
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
            List<Thread> threads = new ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 300; i++) {
                        futures.add(wal.append(message(i), Durability.OS));
                    }
                });
                th.start();
                threads.add(th);
            }
            start.countDown();
            await().until(() -> !futures.isEmpty());
            wal.close();
            for (Thread th : threads) {
                th.join();
            }
        }
        List<Long> succeeded = new ArrayList<>();
        for (CompletableFuture<MessageId> f : futures) {
            assertThat(f).isDone();
            if (f.isCompletedExceptionally()) {
                assertThatThrownBy(f::join).hasCauseInstanceOf(WALClosedException.class);
            } else {
                succeeded.add(((FileMessageId) f.join()).sequence());
            }
        }
        assertThat(succeeded).isNotEmpty();
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThat(ids(readAll(wal))).containsExactlyInAnyOrderElementsOf(succeeded);
        }
    }

    private static final class ForeignId implements MessageId {
        @Override
        public String walName() {
            return "other";
        }

        @Override
        public byte[] marshal() {
            return new byte[0];
        }

        @Override
        public int compareTo(MessageId other) {
            return 0;
        }
    }

    @Test
    void readLastReadsTheRecordWithTheLargestIdWithoutScanningTheChannel() {
        FileConfig config = config(dir, "segment-bytes", "1024");
        try (FileOpener opener = opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            assertThat(wal.readLast()).isEmpty();
            for (int i = 0; i < 60; i++) { // many 1 KiB segments
                wal.append(message(i), Durability.OS).join();
            }
            ImmutableMessage last = wal.readLast().orElseThrow();
            assertThat(last.id()).isEqualTo(FileMessageId.of(59));
            assertThat(payload(last)).isEqualTo(payload(readAll(wal).get(59)));
        }
        try (FileOpener opener = opener(config, Storage.real())) {
            io.wal4j.spi.ReadOnlyWALImpls readOnly = opener.openReadOnly(OpenOption.readOnly("ch", 1));
            assertThat(readOnly.readLast().orElseThrow().id()).isEqualTo(FileMessageId.of(59));
        }
    }
}
