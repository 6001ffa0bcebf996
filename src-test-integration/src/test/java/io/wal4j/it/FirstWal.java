package io.wal4j.it;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.AppendResult;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

public final class FirstWal {
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "wal-data");
        WALConfig config = WALConfig.of(Map.of("wal.file.dir", dir.toString()));
        try (Opener opener = WALRegistry.builder("file").build(config);
             WAL wal = opener.open(OpenOption.readWrite("orders", 1));
             Scanner scanner = wal.read(ReadOption.all())) {

            AppendResult result = wal.append(MutableMessage.newBuilder()
                    .payload("order 42 paid".getBytes(StandardCharsets.UTF_8))
                    .property("order-id", "42")
                    .build());
            System.out.println("appended " + result.messageId() + ", durability " + result.durability());

            ImmutableMessage message = scanner.take();
            while (message.messageType().isSystem()) {  // skip the WAL's own time ticks
                message = scanner.take();
            }
            System.out.println("read " + message.id() + ": " + message.property("order-id"));
        }
    }
}
