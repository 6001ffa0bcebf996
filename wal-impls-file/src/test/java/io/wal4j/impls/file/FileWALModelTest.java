package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Model-based check of the log: random sequences of appends (OS or DISK), truncations, power losses (every unforced
 * byte dropped) and clean reopens, compared with a list of what was appended. After every reopen the log holds a
 * dense run of ids ending after the last DISK-acknowledged one, each with exactly the payload appended under it.
 */
class FileWALModelTest {

    /** An operation code: 0–59 append OS, 60–84 append DISK, 85–89 truncate, 90–94 power loss, 95–99 reopen. */
    @Provide
    Arbitrary<List<Integer>> operations() {
        return Arbitraries.integers().between(0, 99).list().ofMinSize(5).ofMaxSize(60);
    }

    @Property(tries = 30)
    void theLogMatchesAModelAcrossAppendsTruncationsAndPowerLosses(@ForAll("operations") List<Integer> ops)
            throws IOException {
        Path dir = Files.createTempDirectory("wal4j-model");
        try {
            new Run(dir).execute(ops);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static final class Run {
        private final FileConfig config;
        private final List<String> model = new ArrayList<>();
        private long lastDiskAck = -1;
        private long truncatedTo = -1;
        private FaultyStorage storage = new FaultyStorage();
        private FileOpener opener;
        private FileWAL wal;

        Run(Path dir) {
            this.config = FileTestUtils.config(dir, "segment-bytes", "1KiB");
            open();
        }

        private void open() {
            opener = FileTestUtils.opener(config, storage);
            wal = (FileWAL) opener.open(OpenOption.readWrite("model", 1));
        }

        void execute(List<Integer> ops) throws IOException {
            try {
                for (int op : ops) {
                    apply(op);
                }
                storage = new FaultyStorage();
                closeAndCheck();
            } finally {
                opener.close();
            }
        }

        private void apply(int op) throws IOException {
            if (op < 85) {
                append(op < 60 ? Durability.OS : Durability.DISK);
            } else if (op < 90) {
                if (!model.isEmpty()) {
                    long id = op % model.size();
                    wal.truncate(FileMessageId.of(id)).join();
                    truncatedTo = Math.max(truncatedTo, id);
                }
            } else if (op < 95) {
                storage.powerLoss();
                storage = new FaultyStorage();
                closeAndCheck();
            } else {
                storage = new FaultyStorage();
                closeAndCheck();
            }
        }

        private void append(Durability level) {
            String payload = "m-" + model.size() + "-" + "x".repeat(model.size() % 50);
            MutableMessage message = MutableMessage.newBuilder()
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).build();
            long id = ((FileMessageId) wal.append(message, level).join()).sequence();
            assertThat(id).isEqualTo(model.size());
            model.add(payload);
            if (level == Durability.DISK) {
                lastDiskAck = id;
            }
        }

        private void closeAndCheck() {
            opener.close();
            open();
            List<ImmutableMessage> read = FileTestUtils.readAll(wal);
            long end = wal.nextId();
            long first = end - read.size();
            assertThat(first).isLessThanOrEqualTo(truncatedTo + 1);
            assertThat(end).isGreaterThan(lastDiskAck).isLessThanOrEqualTo(model.size());
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).id()).isEqualTo(FileMessageId.of(first + i));
                assertThat(FileTestUtils.payload(read.get(i))).isEqualTo(model.get((int) (first + i)));
            }
            // What the power loss dropped is gone for good: the next append reuses its id.
            model.subList((int) end, model.size()).clear();
            truncatedTo = Math.min(truncatedTo, end - 1);
        }
    }
}
