package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wal4j.api.AppendResult;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** {@code latestMvccTimestamp} over the memory backend. */
class MvccWALTest {

    private static Opener opener(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(AdaptorTestUtils.timeTicks().asMap());
        config.put(MemoryOpenerBuilder.STORE.name(), "mvcc-" + UUID.randomUUID());
        config.putAll(extra);
        return WALRegistry.builder(MemoryOpenerBuilder.NAME).build(WALConfig.of(config));
    }

    @Test
    void theMvccTimestampCoversEveryAcknowledgedMessageOfTheVChannelAndAReaderReachesIt() {
        try (Opener opener = opener(Map.of(AdaptorConfig.TIMETICK_SYNC_INTERVAL.name(), "1h"));
             WAL wal = opener.open(OpenOption.readWrite("mvcc", 1))) {
            AppendResult last = null;
            for (int i = 0; i < 10; i++) {
                last = wal.append(MutableMessage.newBuilder().vchannel("v1").build());
            }
            long mvcc = wal.latestMvccTimestamp("v1");
            assertThat(mvcc).isGreaterThanOrEqualTo(last.timeTick());
            try (Scanner scanner = wal.read(ReadOption.newBuilder().vchannel("v1").build())) {
                ImmutableMessage m;
                do {
                    m = scanner.poll(Duration.ofSeconds(10));
                    assertThat(m).as("a time tick at or above the MVCC timestamp arrives (a sync was triggered)")
                            .isNotNull();
                } while (!(m.messageType().equals(MessageType.TIME_TICK) && m.timeTick() >= mvcc));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> wal.latestMvccTimestamp("v1") >= mvcc);
        }
    }

    @Test
    void anUntouchedVChannelGetsTheChannelsTimeTickWhichMovesWithSyncs() {
        try (Opener opener = opener(Map.of(AdaptorConfig.TIMETICK_SYNC_INTERVAL.name(), "5ms"));
             WAL wal = opener.open(OpenOption.readWrite("mvcc-idle", 1))) {
            long first = wal.latestMvccTimestamp("untouched");
            AppendResult other = wal.append(MutableMessage.newBuilder().vchannel("v2").build());
            await().atMost(Duration.ofSeconds(10)).until(() -> wal.latestMvccTimestamp("untouched") >= other.timeTick());
            assertThat(wal.latestMvccTimestamp("untouched")).isGreaterThan(first);
        }
    }

    @Test
    void aClosedWALRefusesAndPlainModeDoesNotSupportIt() {
        try (Opener opener = opener(Map.of())) {
            WAL wal = opener.open(OpenOption.readWrite("mvcc-closed", 1));
            wal.close();
            assertThatThrownBy(() -> wal.latestMvccTimestamp("v1")).isInstanceOf(WALClosedException.class);
        }
        try (Opener plain = opener(Map.of(AdaptorConfig.TIMETICK_ENABLED.name(), "false"));
             WAL wal = plain.open(OpenOption.readWrite("mvcc-plain", 1))) {
            assertThatThrownBy(() -> wal.latestMvccTimestamp("v1")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> wal.beginTxn("v1", Duration.ofSeconds(1)))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
