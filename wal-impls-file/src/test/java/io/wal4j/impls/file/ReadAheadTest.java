package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.message.MutableMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadTest {

    @TempDir
    Path dir;

    private StorageFile real;
    private CountingFile file;

    /** A file that counts reads and remembers the furthest byte any read asked for. */
    private static final class CountingFile implements StorageFile {
        private final StorageFile delegate;
        final AtomicInteger reads = new AtomicInteger();
        final AtomicLong furthest = new AtomicLong();

        CountingFile(StorageFile delegate) {
            this.delegate = delegate;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return delegate.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            reads.incrementAndGet();
            furthest.accumulateAndGet(position + dst.remaining(), Math::max);
            return delegate.read(dst, position);
        }

        @Override
        public void force() throws IOException {
            delegate.force();
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            delegate.truncate(size);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    @BeforeEach
    void open() throws IOException {
        real = Storage.real().open(dir.resolve("frames"), true);
        file = new CountingFile(real);
    }

    @AfterEach
    void close() throws IOException {
        real.close();
    }

    private static byte[] frame(int payloadBytes, long seed) {
        byte[] payload = new byte[payloadBytes];
        new SplittableRandom(seed).nextBytes(payload);
        return SegmentFormat.encodeFrame(MutableMessage.newBuilder().payload(payload).build());
    }

    /** Writes the frames back to back from position 0; @return the position of each frame, then the end. */
    private long[] write(List<byte[]> frames) throws IOException {
        long[] positions = new long[frames.size() + 1];
        long at = 0;
        for (int i = 0; i < frames.size(); i++) {
            positions[i] = at;
            file.writeFully(ByteBuffer.wrap(frames.get(i)), at);
            at += frames.get(i).length;
        }
        positions[frames.size()] = at;
        return positions;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void framesOfEverySizeReadTheSameAsThroughTheFrameReader() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int size = i % 50 == 49 ? ReadAhead.MAX_BYTES + random.nextInt(1000) : random.nextInt(3000);
            frames.add(frame(size, i));
        }
        long[] at = write(frames);
        long limit = at[frames.size()];
        ReadAhead readAhead = new ReadAhead();
        for (int i = 0; i < frames.size(); i++) {
            FrameReader.Result expected = FrameReader.read(file, at[i], limit, true);
            FrameReader.Result actual = readAhead.read(file, at[i], limit, true);
            assertThat(actual.kind()).isEqualTo(FrameReader.Kind.FRAME);
            assertThat(actual.next()).isEqualTo(at[i + 1]);
            assertThat(actual.bodyCrc()).isEqualTo(expected.bodyCrc());
            assertThat(bytes(actual.body())).isEqualTo(bytes(expected.body()))
                    .isEqualTo(Arrays.copyOfRange(frames.get(i), SegmentFormat.FRAME_HEADER_BYTES,
                            frames.get(i).length));
        }
        assertThat(readAhead.read(file, limit, limit, true).kind()).isEqualTo(FrameReader.Kind.END);
    }

    @Test
    void smallFramesAreReadWithFarFewerReadsThanFrames() throws IOException {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            frames.add(frame(128, i));
        }
        long[] at = write(frames);
        ReadAhead readAhead = new ReadAhead();
        int before = file.reads.get();
        for (int i = 0; i < frames.size(); i++) {
            assertThat(readAhead.read(file, at[i], at[frames.size()], true).kind()).isEqualTo(FrameReader.Kind.FRAME);
        }
        int bytes = (int) at[frames.size()];
        assertThat(file.reads.get() - before).as("reads for %d frames, %d bytes", frames.size(), bytes)
                .isLessThanOrEqualTo(bytes / ReadAhead.MAX_BYTES + 10);
    }

    @Test
    void nothingAtOrPastTheLimitIsReadAndLaterBytesAreSeenOnceTheLimitMoves() throws IOException {
        List<byte[]> frames = List.of(frame(100, 1), frame(100, 2), frame(100, 3));
        long[] at = write(frames);
        ReadAhead readAhead = new ReadAhead();
        assertThat(readAhead.read(file, at[0], at[1], true).kind()).isEqualTo(FrameReader.Kind.FRAME);
        assertThat(readAhead.read(file, at[1], at[1], true).kind()).isEqualTo(FrameReader.Kind.END);
        assertThat(file.furthest.get()).isLessThanOrEqualTo(at[1]);
        // The limit moves on (a commit): the next frame is read from the file, not from what was buffered.
        FrameReader.Result second = readAhead.read(file, at[1], at[3], true);
        assertThat(second.kind()).isEqualTo(FrameReader.Kind.FRAME);
        assertThat(bytes(second.body())).isEqualTo(Arrays.copyOfRange(frames.get(1), 12, frames.get(1).length));
        assertThat(readAhead.read(file, at[2], at[3], true).next()).isEqualTo(at[3]);
    }

    @Test
    void aDamagedFrameIsReportedLikeTheFrameReaderDoes() throws IOException {
        List<byte[]> frames = List.of(frame(100, 1), frame(100, 2), frame(100, 3));
        long[] at = write(frames);
        file.writeFully(ByteBuffer.wrap(new byte[] {(byte) 0xAB}), at[1] + 40);
        ReadAhead readAhead = new ReadAhead();
        long limit = at[3];
        assertThat(readAhead.read(file, at[0], limit, true).kind()).isEqualTo(FrameReader.Kind.FRAME);
        assertThat(readAhead.read(file, at[1], limit, true).kind()).isEqualTo(FrameReader.Kind.BAD_CRC)
                .isEqualTo(FrameReader.read(file, at[1], limit, true).kind());
        file.writeFully(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), at[2]);
        assertThat(new ReadAhead().read(file, at[2], limit, true).kind()).isEqualTo(FrameReader.Kind.BAD_HEADER);
        assertThat(new ReadAhead().read(file, at[0], at[1] - 1, true).kind())
                .isEqualTo(FrameReader.Kind.INCOMPLETE);
    }

    @Test
    void skippingReadsNoBodyAndReleaseDropsALargeBuffer() throws IOException {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            frames.add(frame(200, i));
        }
        long[] at = write(frames);
        ReadAhead readAhead = new ReadAhead();
        for (int i = 0; i < frames.size(); i++) {
            FrameReader.Result r = readAhead.read(file, at[i], at[frames.size()], false);
            assertThat(r.kind()).isEqualTo(FrameReader.Kind.FRAME);
            assertThat(r.body()).isNull();
            assertThat(r.next()).isEqualTo(at[i + 1]);
        }
        assertThat(readAhead.bufferBytes()).isEqualTo(ReadAhead.MAX_BYTES);
        readAhead.release();
        assertThat(readAhead.bufferBytes()).isZero();
    }
}
