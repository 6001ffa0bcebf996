package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A crash between every two steps of the file backend's protocols (the anchors' "crash between every step of
 * multi-file protocols"): a workload that creates the channel, writes its term file, and appends enough to roll
 * several segments (footer, force, new segment, directory force) is run once to count its storage operations; then,
 * for every operation number n, run again on a device that dies at operation n, followed by a power loss that drops
 * every unforced byte and forgets every file created, renamed or deleted — and every directory created, the root and
 * the channel's — since its parent directory was last forced. The channel must reopen under the default policy, hold every {@code DISK}-acknowledged message
 * and exactly a prefix of what was sent, report exactly what recovery removed, and take appends again.
 */
class CrashAtEveryStepIT {

    private static final int MESSAGES = 24;

    @Test
    void aPowerLossBeforeAnyStorageOperationLosesNothingForcedAndRecoversCleanly() throws Exception {
        int total = workload(Integer.MAX_VALUE).operations;
        assertThat(total).as("storage operations of the workload").isGreaterThan(50);
        long acknowledged = 0;
        long dropped = 0;
        long forgotten = 0;
        int withForgottenEntries = 0;
        for (int n = 1; n <= total; n++) {
            Outcome o = workload(n);
            acknowledged += o.durable;
            dropped += o.dropped;
            forgotten += o.forgottenEntries;
            withForgottenEntries += o.forgottenEntries > 0 ? 1 : 0;
        }
        // The backend forces the directory after each create, rename and delete; a crash between the two forgets
        // the entry. The workload has such steps (segment rolls, the term file), so some crash points must hit them.
        assertThat(withForgottenEntries).as("crash points that lost a directory entry").isPositive();
        System.out.println("FIGURES CrashAtEveryStepIT crashPoints=" + total + " diskAcknowledged=" + acknowledged
                + " bytesDroppedByRecovery=" + dropped + " crashPointsLosingDirectoryEntries=" + withForgottenEntries
                + " directoryEntriesForgotten=" + forgotten + " lost=0 corruptDelivered=0");
    }

    private record Outcome(int operations, long durable, long dropped, int forgottenEntries) {
    }

    /** Runs the workload on a device dying at operation {@code dieAt}, then checks the reopened channel. */
    private static Outcome workload(int dieAt) throws Exception {
        Path dir = ScratchDirs.create("wal4j-every-step-");
        try {
            // The root does not exist yet: creating it and the channel directory are crash points too.
            Path root = dir.resolve("root");
            FileConfig config = FileConfig.from(WALConfig.of(Map.of("wal.file.dir", root.toString(),
                    "wal.file.segment-bytes", "1024")));
            PowerLossStorage storage = new PowerLossStorage(dir);
            storage.dieAtOperation(dieAt);
            List<MutableMessage> sent = new ArrayList<>();
            int mustSurvive = 0;
            try (FileOpener opener = new FileOpener(config, storage, System::currentTimeMillis)) {
                FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("s", 1));
                Random random = new Random(5);
                for (int i = 0; i < MESSAGES; i++) {
                    MutableMessage m = PowerLossIT.message(i, random);
                    sent.add(m);
                    Durability d = i % 3 == 2 ? Durability.OS : Durability.DISK;
                    MessageId id = wal.append(m, d).get(30, TimeUnit.SECONDS);
                    assertThat(id).isEqualTo(FileMessageId.of(i));
                    if (d == Durability.DISK) {
                        mustSurvive = i + 1;
                    }
                }
            } catch (WALException | ExecutionException e) {
                // The device died: the open or an append failed; what was acknowledged before must survive.
            }
            int operations = storage.operations();
            storage.powerLoss(PowerLossStorage.Loss.DROP_UNFORCED, new Random(0));
            String context = "device dying at operation " + dieAt;
            Path channelDir = root.resolve("s");
            if (!java.nio.file.Files.isDirectory(channelDir)) {
                assertThat(mustSurvive).as(context + ": nothing acknowledged without a channel directory").isZero();
                return new Outcome(operations, 0, 0, storage.forgottenEntries() + storage.forgottenDirectories());
            }
            Map<String, Long> before = PowerLossIT.segmentSizes(channelDir);
            try (FileOpener opener = new FileOpener(config, Storage.real(), System::currentTimeMillis);
                 FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("s", 1))) {
                long dropped = PowerLossIT.checkReportMatchesFiles(wal.recoveryReport(), before,
                        PowerLossIT.segmentSizes(channelDir));
                List<ImmutableMessage> read = PowerLossIT.readAll(wal);
                assertThat(read.size()).as(context + ": messages kept (DISK-acknowledged: " + mustSurvive + ")")
                        .isBetween(mustSurvive, MESSAGES);
                for (int i = 0; i < read.size(); i++) {
                    assertThat(read.get(i).id()).as(context).isEqualTo(FileMessageId.of(i));
                    assertThat(read.get(i).payload()).as(context + ": payload " + i).isEqualTo(sent.get(i).payload());
                    assertThat(read.get(i).properties()).as(context).isEqualTo(sent.get(i).properties());
                }
                MessageId next = wal.append(PowerLossIT.message(99, new Random()), Durability.DISK)
                        .get(30, TimeUnit.SECONDS);
                assertThat(next).as(context + ": appends resume").isEqualTo(FileMessageId.of(read.size()));
                return new Outcome(operations, mustSurvive, dropped, storage.forgottenEntries() + storage.forgottenDirectories());
            }
        } catch (AssertionError | Exception e) {
            throw new AssertionError("crash at storage operation " + dieAt + ": " + e, e);
        } finally {
            ScratchDirs.deleteTree(dir);
        }
    }
}
