package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.message.ImmutableMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogInspectorTest {

    @TempDir
    Path dir;

    private Path channel() {
        return dir.resolve("ch");
    }

    private void write(int records) {
        try (FileOpener opener = opener(config(dir, "segment-bytes", "1KiB"), Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 3))) {
            for (int i = 0; i < records; i++) {
                wal.append(message(i), Durability.OS).join();
            }
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            ch.write(b.rewind(), position);
        }
    }

    @Test
    void aCleanLogHasNoFindingsAndEveryRecordIsSeenInIdOrder() throws IOException {
        write(100);
        List<Long> ids = new ArrayList<>();
        List<String> segmentsSeen = new ArrayList<>();

        FileLogInspector.Inspection inspection = FileLogInspector.inspect(channel(), new FileLogInspector.Listener() {
            @Override
            public void segment(int index, int total, String file, long bytes) {
                segmentsSeen.add(index + "/" + total + " " + file);
            }

            @Override
            public void record(String file, long position, int frameBytes, ImmutableMessage message) {
                ids.add(((FileMessageId) message.id()).sequence());
                assertThat(message.property("k")).isEqualTo("v-" + ((FileMessageId) message.id()).sequence());
            }
        });

        assertThat(inspection.corruptions()).isEmpty();
        assertThat(inspection.tornTail()).isEmpty();
        assertThat(inspection.records()).isEqualTo(100);
        assertThat(ids).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 100).boxed().toList());
        assertThat(inspection.segments().size()).isGreaterThan(3);
        assertThat(segmentsSeen).hasSize(inspection.segments().size()).first().asString().startsWith("0/");
        assertThat(inspection.segments().subList(0, inspection.segments().size() - 1))
                .allMatch(FileLogInspector.Segment::sealed);
        assertThat(inspection.term()).hasValue(3);
        assertThat(inspection.bytes()).isEqualTo(LogRecovery.listSegments(channel()).stream()
                .mapToLong(p -> p.toFile().length()).sum());
    }

    @Test
    void aFlippedByteInASealedSegmentIsCorruptionNamingTheFileAndTheRecordPosition() throws IOException {
        write(100);
        Path first = LogRecovery.listSegments(channel()).get(0);
        long secondFrame = SegmentFormat.HEADER_BYTES + SegmentFormat.encodeFrame(message(0)).length;
        flipByte(first, secondFrame + SegmentFormat.FRAME_HEADER_BYTES + 2);

        FileLogInspector.Inspection inspection = FileLogInspector.inspect(channel(), new FileLogInspector.Listener() {
        });

        assertThat(inspection.corruptions()).containsExactly(new FileLogInspector.Finding(first.toString(),
                secondFrame, "record checksum mismatch"));
        assertThat(inspection.segments().get(0).records()).isEqualTo(1);
    }

    @Test
    void aFlippedByteInASealFooterIsCorruption() throws IOException {
        write(100);
        Path first = LogRecovery.listSegments(channel()).get(0);
        long size = Files.size(first);
        flipByte(first, size - 10);

        FileLogInspector.Inspection inspection = FileLogInspector.inspect(channel(), new FileLogInspector.Listener() {
        });

        assertThat(inspection.corruptions()).hasSize(1);
        FileLogInspector.Finding finding = inspection.corruptions().get(0);
        assertThat(finding.file()).isEqualTo(first.toString());
        assertThat(finding.position()).isEqualTo(size - SegmentFormat.FOOTER_BYTES);
        assertThat(finding.reason()).contains("malformed record header");
    }

    @Test
    void aTornLastRecordIsATornTailNotCorruption() throws IOException {
        write(5);
        Path last = LogRecovery.listSegments(channel()).get(0);
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }

        FileLogInspector.Inspection inspection = FileLogInspector.inspect(channel(), new FileLogInspector.Listener() {
        });

        assertThat(inspection.corruptions()).isEmpty();
        assertThat(inspection.tornTail()).hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo("incomplete record"));
        assertThat(inspection.records()).isEqualTo(4);
    }

    @Test
    void aMissingSegmentInTheMiddleBreaksTheChain() throws IOException {
        write(100);
        List<Path> files = LogRecovery.listSegments(channel());
        Files.delete(files.get(1));

        FileLogInspector.Inspection inspection = FileLogInspector.inspect(channel(), new FileLogInspector.Listener() {
        });

        assertThat(inspection.corruptions()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(files.get(0).toString());
            assertThat(f.reason()).contains("next segment " + files.get(2).getFileName() + " does not start at id");
        });
    }

    @Test
    void aMissingDirectoryIsNoSuchFile() {
        assertThatThrownBy(() -> FileLogInspector.inspect(dir.resolve("nope"), new FileLogInspector.Listener() {
        })).isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> FileLogInspector.inspect(null, new FileLogInspector.Listener() {
        })).isInstanceOf(NullPointerException.class).hasMessage("channelDir");
    }
}
