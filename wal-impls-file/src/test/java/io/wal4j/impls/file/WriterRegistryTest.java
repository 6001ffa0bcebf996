package io.wal4j.impls.file;

import static io.wal4j.impls.file.FileTestUtils.config;
import static io.wal4j.impls.file.FileTestUtils.ids;
import static io.wal4j.impls.file.FileTestUtils.message;
import static io.wal4j.impls.file.FileTestUtils.opener;
import static io.wal4j.impls.file.FileTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALStorageException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fencing by term within a process, the persisted term, and the cross-process lock. */
class WriterRegistryTest {

    @TempDir
    Path dir;

    @Test
    void openingAtAHigherTermFencesTheOlderWriterForever() {
        FileConfig config = config(dir);
        try (FileOpener first = opener(config, Storage.real()); FileOpener second = opener(config, Storage.real())) {
            FileWAL old = (FileWAL) first.open(OpenOption.readWrite("ch", 1));
            old.append(message(0), Durability.DISK).join();
            FileWAL current = (FileWAL) second.open(OpenOption.readWrite("ch", 2));
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> old.append(message(9), Durability.OS).join())
                        .cause().isInstanceOfSatisfying(ChannelFencedException.class, e -> {
                            assertThat(e.channel()).isEqualTo("ch");
                            assertThat(e.term()).isEqualTo(1);
                        });
            }
            assertThat(current.append(message(1), Durability.DISK).join()).isEqualTo(FileMessageId.of(1));
            assertThat(ids(readAll(old))).as("the fenced WAL still reads what it saw").containsExactly(0L);
            old.close();
            assertThat(ids(readAll(current))).containsExactly(0L, 1L);
        }
    }

    @Test
    void aLowerTermThanThePersistedOneIsRefused() {
        FileConfig config = config(dir);
        try (FileOpener opener = opener(config, Storage.real())) {
            opener.open(OpenOption.readWrite("ch", 5)).close();
        }
        try (FileOpener opener = opener(config, Storage.real())) {
            assertThatThrownBy(() -> opener.open(OpenOption.readWrite("ch", 4)))
                    .isInstanceOfSatisfying(ChannelFencedException.class, e -> {
                        assertThat(e.term()).isEqualTo(4);
                        assertThat(e.getMessage()).contains("persisted term is 5");
                    });
            FileWAL wal = (FileWAL) opener.open(OpenOption.readWrite("ch", 5));
            assertThatThrownBy(() -> opener.open(OpenOption.readWrite("ch", 3)))
                    .isInstanceOf(ChannelFencedException.class);
            assertThat(wal.append(message(0), Durability.DISK).join()).isEqualTo(FileMessageId.of(0));
        }
    }

    @Test
    void theTermIsPersistedAtomicallyInItsOwnFile() throws Exception {
        FileConfig config = config(dir);
        try (FileOpener opener = opener(config, Storage.real())) {
            opener.open(OpenOption.readWrite("ch", 7)).close();
        }
        assertThat(TermFile.read(dir.resolve("ch"), Storage.real())).isEqualTo(7);
        assertThat(dir.resolve("ch").resolve(TermFile.TEMP_NAME)).doesNotExist();
        Files.write(dir.resolve("ch").resolve(TermFile.NAME), new byte[] {1, 2, 3});
        try (FileOpener opener = opener(config, Storage.real())) {
            assertThatThrownBy(() -> opener.open(OpenOption.readWrite("ch", 8)))
                    .isInstanceOf(io.wal4j.api.WALCorruptionException.class).hasMessageContaining("term");
        }
    }

    @Test
    void aWriterInAnotherProcessHoldsTheChannelLock() throws Exception {
        Path channelDir = dir.resolve("ch");
        Files.createDirectories(channelDir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), channelDir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            try (FileOpener opener = opener(config(dir), Storage.real())) {
                assertThatThrownBy(() -> opener.open(OpenOption.readWrite("ch", 1)))
                        .isInstanceOf(WALStorageException.class)
                        .hasMessageContaining(channelDir.resolve(ChannelLock.NAME).toString())
                        .hasMessageContaining("another process");
            }
        } finally {
            child.getOutputStream().close();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (FileOpener opener = opener(config(dir), Storage.real())) {
            opener.open(OpenOption.readWrite("ch", 1)).append(message(0), Durability.DISK).join();
        }
    }
}
