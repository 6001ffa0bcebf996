package io.wal4j.impls.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.Durability;
import io.wal4j.api.WALConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConfigTest {

    @TempDir
    Path dir;

    @Test
    void everyKeyHasItsDocumentedDefault() {
        FileConfig config = FileConfig.from(WALConfig.of(Map.of("wal.file.dir", dir.toString())));
        assertThat(config.dir()).isEqualTo(dir);
        assertThat(config.durability()).isEqualTo(Durability.DISK);
        assertThat(config.segmentBytes()).isEqualTo(64L << 20);
        assertThat(config.segmentAge()).isEqualTo(Duration.ofHours(1));
        assertThat(config.batchBytes()).isEqualTo(1L << 20);
        assertThat(config.batchMaxDelay()).isEqualTo(Duration.ZERO);
        assertThat(config.queueMessages()).isEqualTo(8192);
        assertThat(config.queueBytes()).isEqualTo(64L << 20);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.corruptionPolicy()).isEqualTo(CorruptionPolicy.FAIL);
        assertThat(config.readerPollInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theDirectoryIsRequired() {
        assertThatThrownBy(() -> FileConfig.from(WALConfig.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wal.file.dir");
        assertThatThrownBy(() -> new FileOpenerBuilder().build(WALConfig.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wal.file.dir");
    }

    @ParameterizedTest
    @CsvSource({
        "wal.file.segment-bytes, 12, wal.file.segment-bytes",
        "wal.file.durability, MEMORY, wal.file.durability",
        "wal.file.durability, fast, wal.file.durability",
        "wal.file.corruption-policy, ignore, wal.file.corruption-policy",
        "wal.file.reader-poll-interval, 0ms, wal.file.reader-poll-interval",
        "wal.file.no-such-key, 1, wal.file.no-such-key",
    })
    void badOrUnknownKeysAreRefusedNamingTheKey(String key, String value, String named) {
        WALConfig config = WALConfig.of(Map.of("wal.file.dir", dir.toString(), key, value));
        assertThatThrownBy(() -> FileConfig.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    void keysOfOtherBackendsAreIgnored() {
        FileConfig config = FileConfig.from(WALConfig.of(Map.of("wal.file.dir", dir.toString(),
                "wal.kafka.bootstrap", "x", "wal.file.segment-bytes", "1MiB")));
        assertThat(config.segmentBytes()).isEqualTo(1L << 20);
    }
}
