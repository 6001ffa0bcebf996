package io.wal4j.impls.file;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link FileReadOnlyWALTest}: opens {@code args[1]} under root {@code args[0]} for writing,
 * appends {@code args[2]} messages ({@link FileTestUtils#message}) at DISK, prints {@code written}, and keeps the
 * channel open until stdin closes.
 */
public final class ChildWriter {

    private ChildWriter() {
    }

    public static void main(String[] args) throws Exception {
        FileConfig config = FileTestUtils.config(Path.of(args[0]), "segment-bytes", "1KiB");
        try (FileOpener opener = FileTestUtils.opener(config, Storage.real());
             FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite(args[1], 1))) {
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) {
                wal.append(FileTestUtils.message(i), Durability.DISK).join();
            }
            System.out.println("written");
            System.out.flush();
            while (System.in.read() >= 0) {
                // keep the writer (and its lock) alive until the parent closes our stdin
            }
        }
    }
}
