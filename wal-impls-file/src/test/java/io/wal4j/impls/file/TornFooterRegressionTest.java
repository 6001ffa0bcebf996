package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.ids;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression (found by PowerLossIT, ZERO_FILLED_TAIL): a power loss during a segment roll can leave the seal footer
 * written only in part, followed by the zeros of the unforced tail. That is a torn tail, not corruption: the open
 * must succeed under the default policy and keep every record before it.
 */
class TornFooterRegressionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 11, 12, 13, 20, 31})
    void aSealFooterCutAtAnyByteAndFollowedByZerosIsATornTail(int footerBytesWritten) throws IOException {
        try (FileOpener opener = new FileOpener(config(dir), Storage.real(), System::currentTimeMillis);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            for (int i = 0; i < 5; i++) {
                wal.append(message(i), Durability.DISK).join();
            }
        }
        Path segment = LogRecovery.listSegments(dir.resolve("ch")).get(0);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ByteBuffer footer = SegmentFormat.footer(5, 4, 0x12345678);
            footer.limit(footerBytesWritten);
            long end = ch.size();
            ch.write(footer, end);
            ch.write(ByteBuffer.allocate(64), end + footerBytesWritten);
        }
        try (FileOpener opener = new FileOpener(config(dir), Storage.real(), System::currentTimeMillis);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 1))) {
            List<RecoveryReport.Drop> drops = wal.recoveryReport().drops();
            assertThat(drops).hasSize(1);
            assertThat(drops.get(0).records()).isZero();
            assertThat(ids(readAll(wal))).containsExactlyElementsOf(LongStream.range(0, 5).boxed().toList());
            assertThat(wal.append(message(5), Durability.DISK).join()).isEqualTo(FileMessageId.of(5));
        }
    }
}
