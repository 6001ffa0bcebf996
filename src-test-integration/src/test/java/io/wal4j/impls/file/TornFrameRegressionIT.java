package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALCorruptionException;
import io.wal4j.api.message.ImmutableMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for the torn last write, found by {@link PowerLossIT} (seed -382342, {@code ZERO_FILLED_TAIL}):
 * a power loss that keeps only the first bytes of the last frame and leaves the rest of the file zero-filled (the
 * usual outcome when a file grew but its last block was only partly written) is a torn tail, like the same cut
 * without the zeros, and must be dropped and reported — not refused as corruption by the default policy. Both are
 * checked for every prefix length of the frame. Likewise for the header of a segment being created by a roll
 * (found by {@link PowerLossIT} with seed -1203573, {@code ZERO_FILLED_TAIL}: "bad segment magic 57414c0000000000").
 */
class TornFrameRegressionIT {

    private Path root;
    private Path segment;
    private long end;
    private byte[] frame;

    @BeforeEach
    void writeThreeForcedMessages() throws Exception {
        root = ScratchDirs.create("wal4j-torn-");
        try (FileOpener opener = new FileOpener(CorruptionIT.config(root, "FAIL"), Storage.real(),
                System::currentTimeMillis);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("t", 1))) {
            for (int i = 0; i < 3; i++) {
                wal.append(CorruptionIT.message(i), Durability.DISK).get(30, TimeUnit.SECONDS);
            }
        }
        segment = LogRecovery.listSegments(root.resolve("t")).get(0);
        end = java.nio.file.Files.size(segment);
        frame = SegmentFormat.encodeFrame(CorruptionIT.message(3));
    }

    @AfterEach
    void deleteScratch() throws IOException {
        PowerLossIT.deleteTree(root);
    }

    @Test
    void aLastFrameCutAtEveryByteIsATornTail() throws Exception {
        List<String> refused = tearAtEveryByte(0);
        assertThat(refused).as("prefix lengths whose torn frame the default policy refused").isEmpty();
    }

    @Test
    void aLastFrameCutAtEveryByteAndFollowedByZerosIsATornTail() throws Exception {
        List<String> refused = tearAtEveryByte(512);
        assertThat(refused).as("prefix lengths whose torn, zero-filled frame the default policy refused").isEmpty();
    }

    @Test
    void aNewSegmentWhoseHeaderIsCutAtEveryByteAndZeroFilledIsATornSegmentHeader() throws Exception {
        sealFirstSegment();
        Path next = segment.resolveSibling(SegmentFormat.fileName(3));
        byte[] header = new byte[SegmentFormat.HEADER_BYTES];
        SegmentFormat.header(3, System.currentTimeMillis()).get(header);
        List<String> refused = new ArrayList<>();
        for (int keep = 1; keep < header.length; keep++) {
            try (FileChannel ch = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(header, 0, keep), 0);
                ch.write(ByteBuffer.allocate(4096 - keep), keep);
            }
            try (FileOpener opener = new FileOpener(CorruptionIT.config(root, "FAIL"), Storage.real(),
                    System::currentTimeMillis);
                 FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("t", 1))) {
                RecoveryReport report = wal.recoveryReport();
                assertThat(report.drops()).as("keep " + keep + ": the torn segment is dropped").hasSize(1);
                assertThat(report.drops().get(0).file()).isEqualTo(next.getFileName().toString());
                assertThat(PowerLossIT.readAll(wal)).as("keep " + keep + ": the forced messages").hasSize(3);
                assertThat(wal.append(CorruptionIT.message(3), Durability.DISK).get(30, TimeUnit.SECONDS))
                        .as("keep " + keep + ": appends resume").isEqualTo(FileMessageId.of(3));
            } catch (WALCorruptionException e) {
                refused.add("keep " + keep + " of " + header.length + " header bytes + zeros: " + e.getMessage());
            }
            // Put the log back as the roll left it: segment 0 sealed, no segment after it.
            for (Path p : LogRecovery.listSegments(root.resolve("t"))) {
                if (!p.equals(segment)) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
        assertThat(refused).as("header prefix lengths whose torn, zero-filled segment the default policy refused")
                .isEmpty();
    }

    /** Appends the seal footer to segment 0, as a roll does before creating the next segment. */
    private void sealFirstSegment() throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer frames = ByteBuffer.allocate((int) (end - SegmentFormat.HEADER_BYTES));
            ch.read(frames, SegmentFormat.HEADER_BYTES);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(frames.flip());
            ch.write(SegmentFormat.footer(3, 2, (int) crc.getValue()), end);
        }
    }

    /** @return one line per prefix length whose open failed */
    private List<String> tearAtEveryByte(int zeros) throws Exception {
        List<String> refused = new ArrayList<>();
        for (int keep = 1; keep < frame.length; keep++) {
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.truncate(end);
                ch.write(ByteBuffer.wrap(frame, 0, keep), end);
                ch.write(ByteBuffer.allocate(zeros), end + keep);
            }
            try (FileOpener opener = new FileOpener(CorruptionIT.config(root, "FAIL"), Storage.real(),
                    System::currentTimeMillis);
                 FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("t", 1))) {
                RecoveryReport report = wal.recoveryReport();
                assertThat(report.drops()).as("keep " + keep + ": one drop").hasSize(1);
                RecoveryReport.Drop drop = report.drops().get(0);
                assertThat(drop.position()).as("keep " + keep + ": drop starts at the old end").isEqualTo(end);
                assertThat(drop.bytes()).as("keep " + keep + ": drop size").isEqualTo(keep + zeros);
                List<ImmutableMessage> read = PowerLossIT.readAll(wal);
                assertThat(read).as("keep " + keep + ": the forced messages").hasSize(3);
                for (int i = 0; i < 3; i++) {
                    assertThat(read.get(i).payload()).isEqualTo(CorruptionIT.message(i).payload());
                }
            } catch (WALCorruptionException e) {
                refused.add("keep " + keep + " of " + frame.length + " bytes + " + zeros + " zeros: " + e.getMessage());
            }
        }
        return refused;
    }

}
