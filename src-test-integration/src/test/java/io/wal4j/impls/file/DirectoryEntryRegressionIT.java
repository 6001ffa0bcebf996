package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Power losses that forget directory entries not yet forced (files created, renamed or deleted, and directories
 * created, since their directory's last force): every {@code DISK}-acknowledged message must survive, so the file
 * backend must force a directory before it acknowledges anything that depends on an entry in it — a new segment, the
 * term file, the channel directory and the directories above it that it created.
 */
class DirectoryEntryRegressionIT {

    private Path scratch;

    @BeforeEach
    void createScratch() throws Exception {
        scratch = ScratchDirs.create("wal4j-dir-entries-");
    }

    @AfterEach
    void deleteScratch() throws Exception {
        ScratchDirs.deleteTree(scratch);
    }

    /**
     * Regression: {@code FileWAL.open} created the channel directory with {@code Files.createDirectories} and forced
     * only its parent, so root directories the open created itself (a {@code wal.file.dir} that did not exist yet)
     * had entries never forced, and a power loss could take the whole channel — every {@code DISK}-acknowledged
     * message with it.
     */
    @Test
    void diskAcknowledgedMessagesSurviveWhenTheOpenCreatedTheRootDirectoriesToo() throws Exception {
        Path root = scratch.resolve("not-yet").resolve("created");
        List<MutableMessage> sent = appendThenLosePower(root, 1, 5, 100);
        assertThat(readBack(root, 1)).as("DISK-acknowledged messages under a root the open created")
                .hasSize(sent.size());
    }

    @Test
    void diskAcknowledgedMessagesInRolledSegmentsSurviveForgottenDirectoryEntries() throws Exception {
        List<MutableMessage> sent = appendThenLosePower(scratch, 1, 30, 200); // 1 KiB segments: many rolls
        List<ImmutableMessage> read = readBack(scratch, 1);
        assertThat(read).hasSize(sent.size());
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).payload()).as("payload " + i).isEqualTo(sent.get(i).payload());
        }
    }

    @Test
    void aNewTermAcknowledgedBeforeAPowerLossStaysPersisted() throws Exception {
        appendThenLosePower(scratch, 1, 2, 10);
        appendThenLosePower(scratch, 2, 2, 10); // the term file is replaced by a rename, then its directory forced
        assertThat(readBack(scratch, 2)).hasSize(4);
        FileOpener opener = new FileOpener(config(scratch), Storage.real(), System::currentTimeMillis);
        try {
            assertThatThrownBy(() -> opener.open(OpenOption.readWrite("d", 1)))
                    .isInstanceOf(ChannelFencedException.class);
        } finally {
            opener.close();
        }
    }

    private static FileConfig config(Path root) {
        return FileConfig.from(WALConfig.of(Map.of("wal.file.dir", root.toString(), "wal.file.segment-bytes",
                "1024")));
    }

    /** Opens channel {@code d} at {@code term}, appends at DISK, then cuts the power forgetting unforced entries. */
    private List<MutableMessage> appendThenLosePower(Path root, long term, int count, int bytes) throws Exception {
        PowerLossStorage storage = new PowerLossStorage(scratch);
        List<MutableMessage> sent = new ArrayList<>();
        Random random = new Random(term);
        FileOpener opener = new FileOpener(config(root), storage, System::currentTimeMillis);
        try {
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("d", term));
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[bytes];
                random.nextBytes(payload);
                MutableMessage m = MutableMessage.newBuilder().payload(payload).property("i", Integer.toString(i))
                        .build();
                MessageId id = wal.append(m, Durability.DISK).get(30, TimeUnit.SECONDS);
                assertThat(id).isNotNull();
                sent.add(m);
            }
            storage.powerLoss(PowerLossStorage.Loss.DROP_UNFORCED, PowerLossStorage.DirectoryLoss.FORGET_UNSYNCED,
                    new Random(0));
            wal.close();
        } finally {
            opener.close();
        }
        return sent;
    }

    private static List<ImmutableMessage> readBack(Path root, long term) {
        FileOpener opener = new FileOpener(config(root), Storage.real(), System::currentTimeMillis);
        try (FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("d", term))) {
            return PowerLossIT.readAll(wal);
        } finally {
            opener.close();
        }
    }
}
