package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.file.Path;

/** Run in a child JVM by {@link WriterRegistryTest}: holds a channel directory's lock until stdin closes. */
public final class LockHolder {

    private LockHolder() {
    }

    @SuppressWarnings("try") // the lock is held by existing
    public static void main(String[] args) throws IOException {
        try (ChannelLock lock = ChannelLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our stdin
            }
        }
    }
}
