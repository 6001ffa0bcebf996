package io.wal4j.impls.file;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Shared helpers of the file backend's tests. */
final class FileTestUtils {

    private FileTestUtils() {
    }

    /** @return a configuration rooted at {@code dir} with extra {@code key, value} pairs (keys without prefix) */
    static FileConfig config(Path dir, String... keyValues) {
        Map<String, String> map = new HashMap<>();
        map.put(FileConfig.DIR.name(), dir.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(FileConfig.PREFIX + keyValues[i], keyValues[i + 1]);
        }
        return FileConfig.from(WALConfig.of(map));
    }

    static FileOpener opener(FileConfig config, Storage storage, AtomicLong clock) {
        return new FileOpener(config, storage, clock::get);
    }

    static FileOpener opener(FileConfig config, Storage storage) {
        return new FileOpener(config, storage, System::currentTimeMillis);
    }

    /** @return message number {@code i}: payload "payload-i", property k=v-i */
    static MutableMessage message(int i) {
        return MutableMessage.newBuilder().payload(("payload-" + i).getBytes(StandardCharsets.UTF_8))
                .property("k", "v-" + i).build();
    }

    static String payload(ImmutableMessage m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }

    /** @return every message currently visible from the start, reading until the scanner finds no more */
    static List<ImmutableMessage> readAll(ReadOnlyWALImpls wal) {
        return read(wal, DeliverPolicy.all());
    }

    static List<ImmutableMessage> read(ReadOnlyWALImpls wal, DeliverPolicy policy) {
        List<ImmutableMessage> out = new ArrayList<>();
        try (ScannerImpls scanner = wal.read(new ReadOptionImpls("test-" + System.nanoTime(), policy, 1))) {
            ImmutableMessage m;
            while ((m = scanner.poll(Duration.ZERO)) != null) {
                out.add(m);
            }
        }
        return out;
    }

    static List<Long> ids(List<ImmutableMessage> messages) {
        return messages.stream().map(m -> ((FileMessageId) m.id()).sequence()).toList();
    }

    /** @return the names of live threads starting with {@code wal4j-file} */
    static List<String> fileThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("wal4j-file")).toList();
    }
}
