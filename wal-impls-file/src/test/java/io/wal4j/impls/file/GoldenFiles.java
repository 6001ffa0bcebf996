package io.wal4j.impls.file;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.message.MutableMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fixed input of the golden files in {@code src/test/resources/golden/v1}, and their generator. Run {@link #main}
 * with the module's test classpath and {@code src/test/resources/golden/v1} as argument to regenerate them — only
 * when the format version changes (then add a {@code v2} directory and keep {@code v1}).
 */
final class GoldenFiles {

    static final String CHANNEL = "golden";
    static final long TERM = 3;
    static final long CLOCK = 1_700_000_000_000L;
    static final int COUNT = 30;
    /** Bytes cut from the end of the last segment of the torn copy: a record torn in its middle. */
    static final int TORN_BYTES = 17;

    private GoldenFiles() {
    }

    /** @return message {@code i} of the fixed input */
    static MutableMessage message(int i) {
        if (i == 0) {
            return MutableMessage.newBuilder().build();
        }
        return MutableMessage.newBuilder().payload(("golden-" + i).getBytes(StandardCharsets.UTF_8))
                .property("k", "v" + i).property("unicode", "é€😀").vchannel("v" + (i % 3)).build()
                .withTimeTick(1000L + i);
    }

    static FileConfig config(Path root) {
        return FileTestUtils.config(root, "segment-bytes", "1KiB");
    }

    /** Writes the fixed input into {@code root} with the real storage and a fixed clock. */
    static void write(Path root) {
        AtomicLong clock = new AtomicLong(CLOCK);
        try (FileOpener opener = FileTestUtils.opener(config(root), Storage.real(), clock);
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite(CHANNEL, TERM))) {
            for (int i = 0; i < COUNT; i++) {
                wal.append(message(i), Durability.DISK).join();
            }
        }
    }

    /** @return the files that make up the format: segments and the term file, in name order */
    static List<Path> formatFiles(Path channelDir) throws IOException {
        try (var files = Files.list(channelDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SegmentFormat.SEGMENT_SUFFIX)
                    || p.getFileName().toString().equals(TermFile.NAME)).sorted().toList();
        }
    }

    static Path lastSegment(List<Path> files) {
        return files.stream().filter(p -> p.getFileName().toString().endsWith(SegmentFormat.SEGMENT_SUFFIX))
                .reduce((a, b) -> b).orElseThrow();
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path scratch = Files.createTempDirectory("golden");
        write(scratch);
        for (String variant : List.of("intact", "torn")) {
            Path target = out.resolve(variant).resolve(CHANNEL);
            Files.createDirectories(target);
            List<Path> files = formatFiles(scratch.resolve(CHANNEL));
            for (Path f : files) {
                Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            if (variant.equals("torn")) {
                Path last = target.resolve(lastSegment(files).getFileName());
                byte[] bytes = Files.readAllBytes(last);
                Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length - TORN_BYTES));
            }
        }
    }
}
