package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.ids;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.payload;
import static io.wal4j.impls.file.FileTestUtils.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALCorruptionException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileScannerTest {

    @TempDir
    Path dir;

    private static ReadOptionImpls option(DeliverPolicy policy) {
        return new ReadOptionImpls("scanner", policy, 1);
    }

    @Test
    void aBlockedTakeIsWokenByTheNextCommit() throws Exception {
        try (FileOpener opener = opener(config(dir), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
             ScannerImpls scanner = wal.read(option(DeliverPolicy.all()))) {
            CompletableFuture<ImmutableMessage> taken = CompletableFuture.supplyAsync(scanner::take);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !taken.isDone());
            wal.append(message(7), Durability.OS).join();
            assertThat(taken).succeedsWithin(Duration.ofSeconds(10))
                    .satisfies(m -> assertThat(payload(m)).isEqualTo("payload-7"));
        }
    }

    @Test
    void aBlockedTakeIsReleasedByClosingTheScannerOrTheWAL() {
        try (FileOpener opener = opener(config(dir), Storage.real())) {
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
            ScannerImpls first = wal.read(option(DeliverPolicy.all()));
            ScannerImpls second = wal.read(option(DeliverPolicy.latest()));
            CompletableFuture<ImmutableMessage> one = CompletableFuture.supplyAsync(first::take);
            CompletableFuture<ImmutableMessage> two = CompletableFuture.supplyAsync(second::take);
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2))
                    .until(() -> !one.isDone() && !two.isDone());
            first.close();
            assertThat(one).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(WALClosedException.class);
            assertThat(first.done()).isCompleted();
            wal.close();
            assertThat(two).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(WALClosedException.class);
            assertThat(second.done()).isCompleted();
            assertThatThrownBy(() -> second.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
        }
    }

    @Test
    void pollReturnsNullWhenNothingArrivesInTime() {
        try (FileOpener opener = opener(config(dir), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
             ScannerImpls scanner = wal.read(option(DeliverPolicy.all()))) {
            assertThat(scanner.poll(Duration.ofMillis(50))).isNull();
            assertThat(scanner.name()).isEqualTo("scanner");
        }
    }

    @Test
    void deliverPoliciesStartWhereTheySay() {
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB", "index-interval-bytes", "64"),
                Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 100; i++) {
                wal.append(message(i), Durability.OS).join();
            }
            assertThat(ids(read(wal, DeliverPolicy.startFrom(FileMessageId.of(57)))))
                    .containsExactlyElementsOf(LongStream.range(57, 100).boxed().toList());
            assertThat(ids(read(wal, DeliverPolicy.startAfter(FileMessageId.of(57)))))
                    .containsExactlyElementsOf(LongStream.range(58, 100).boxed().toList());
            assertThat(read(wal, DeliverPolicy.startFrom(FileMessageId.of(500)))).isEmpty();
            try (ScannerImpls latest = wal.read(option(DeliverPolicy.latest()));
                 ScannerImpls future = wal.read(option(DeliverPolicy.startFrom(FileMessageId.of(101))))) {
                assertThat(latest.poll(Duration.ZERO)).isNull();
                wal.append(message(100), Durability.OS).join();
                wal.append(message(101), Durability.OS).join();
                assertThat(latest.poll(Duration.ZERO).id()).isEqualTo(FileMessageId.of(100));
                assertThat(future.poll(Duration.ZERO).id()).isEqualTo(FileMessageId.of(101));
            }
            assertThatThrownBy(() -> wal.read(option(DeliverPolicy.startFrom(new ForeignId()))))
                    .isInstanceOf(InvalidMessageIdException.class);
            assertThatThrownBy(() -> wal.read(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void aReadOnlyWALInAnotherOpenerTailsByPollingAcrossSegmentRolls() {
        FileConfig config = config(dir, "segment-bytes", "1KiB", "reader-poll-interval", "5ms");
        try (FileOpener writerSide = opener(config, Storage.real());
             FileOpener readerSide = opener(config, Storage.real());
             FileWAL wal = (FileWAL) writerSide.open(OpenOption.readWrite("ch", 1));
             ReadOnlyWALImpls reader = readerSide.openReadOnly(OpenOption.readOnly("ch", 1));
             ScannerImpls scanner = reader.read(option(DeliverPolicy.all()))) {
            assertThat(reader).isNotInstanceOf(WALImpls.class);
            assertThat(reader.walName()).isEqualTo("file");
            CompletableFuture<ImmutableMessage> first = CompletableFuture.supplyAsync(scanner::take);
            wal.append(message(0), Durability.OS).join();
            assertThat(first).succeedsWithin(Duration.ofSeconds(10));
            for (int i = 1; i < 80; i++) {
                wal.append(message(i), Durability.OS).join();
            }
            for (long i = 1; i < 80; i++) {
                assertThat(scanner.poll(Duration.ofSeconds(10)).id()).isEqualTo(FileMessageId.of(i));
            }
        }
    }

    @Test
    void aReadOnlyWALOpenedBeforeTheChannelExistsSeesItAndForgetsTruncatedSegments() {
        FileConfig config = config(dir, "segment-bytes", "1KiB", "reader-poll-interval", "5ms");
        try (FileOpener readerSide = opener(config, Storage.real());
             FileOpener writerSide = opener(config, Storage.real());
             ReadOnlyWALImpls reader = readerSide.openReadOnly(OpenOption.readOnly("late", 1))) {
            assertThat(FileTestUtils.readAll(reader)).isEmpty();
            try (FileWAL wal = (FileWAL) writerSide.open(OpenOption.readWrite("late", 1));
                 ScannerImpls scanner = reader.read(option(DeliverPolicy.all()))) {
                for (int i = 0; i < 60; i++) {
                    wal.append(message(i), Durability.OS).join();
                }
                assertThat(scanner.poll(Duration.ofSeconds(10)).id()).isEqualTo(FileMessageId.of(0));
                wal.truncate(FileMessageId.of(40)).join();
                long firstKept = SegmentFormat.parseFileName(LogRecovery.listSegmentsQuietly(dir.resolve("late"))
                        .get(0).getFileName().toString());
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        ids(FileTestUtils.readAll(reader))).first().isEqualTo(firstKept));
                assertThat(scanner.poll(Duration.ofSeconds(10)).id()).isIn(FileMessageId.of(1),
                        FileMessageId.of(firstKept));
            }
        }
    }

    @Test
    void aCorruptRecordInASealedSegmentEndsTheScannerWithFileAndPosition() throws Exception {
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB"), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 60; i++) {
                wal.append(message(i), Durability.OS).join();
            }
        }
        Path first = dir.resolve("ch").resolve(SegmentFormat.fileName(0));
        long position = SegmentFormat.HEADER_BYTES + SegmentFormat.encodeFrame(message(0)).length;
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x77}), position + SegmentFormat.FRAME_HEADER_BYTES + 3);
        }
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB"), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1));
             ScannerImpls scanner = wal.read(option(DeliverPolicy.all()))) {
            assertThat(scanner.poll(Duration.ZERO).id()).isEqualTo(FileMessageId.of(0));
            assertThatThrownBy(() -> scanner.poll(Duration.ZERO))
                    .isInstanceOfSatisfying(WALCorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo(first.toString());
                        assertThat(e.position()).isEqualTo(position);
                    });
            assertThat(scanner.done()).isCompletedExceptionally();
            assertThatThrownBy(scanner::take).isInstanceOf(WALCorruptionException.class);
        }
    }

    private static final class ForeignId implements io.wal4j.api.message.MessageId {
        @Override
        public String walName() {
            return "other";
        }

        @Override
        public byte[] marshal() {
            return new byte[0];
        }

        @Override
        public int compareTo(io.wal4j.api.message.MessageId other) {
            return 0;
        }
    }
}
