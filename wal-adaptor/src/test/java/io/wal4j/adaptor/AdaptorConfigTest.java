package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.adaptor.timetick.TimestampAllocatorFactory;
import io.wal4j.api.WALConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

class AdaptorConfigTest {

    @Test
    void theTimeTickAndBufferKeysHaveDocumentedDefaults() {
        AdaptorConfig config = AdaptorConfig.from(WALConfig.empty());
        assertThat(config.bufferBytes()).isEqualTo(64L << 20);
        assertThat(config.bufferKeepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.syncInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.timeTicks()).isTrue();
        assertThat(config.allocatorFactory()).isSameAs(TimestampAllocatorFactory.SYSTEM_CLOCK);
        assertThat(AdaptorConfig.KEYS).allSatisfy(key -> assertThat(key.doc()).isNotBlank());
    }

    @Test
    void anAllocatorFactoryIsLoadedByClassName() {
        AdaptorConfig config = AdaptorConfig.from(WALConfig.of(Map.of(AdaptorConfig.TIMETICK_ALLOCATOR.name(),
                TimeTickWALTest.SteppableClock.class.getName(), AdaptorConfig.BUFFER_BYTES.name(), "0")));
        assertThat(config.allocatorFactory()).isInstanceOf(TimeTickWALTest.SteppableClock.class);
        assertThat(config.bufferBytes()).isZero();
    }

    @Test
    void aBadAllocatorClassIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> AdaptorConfig.from(WALConfig.of(Map.of(AdaptorConfig.TIMETICK_ALLOCATOR.name(),
                "no.such.Factory")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AdaptorConfig.TIMETICK_ALLOCATOR.name()).hasMessageContaining("no.such.Factory");
        assertThatThrownBy(() -> AdaptorConfig.from(WALConfig.of(Map.of(AdaptorConfig.TIMETICK_ALLOCATOR.name(),
                String.class.getName())))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not implement");
    }

    @Test
    void aNegativeBufferSizeIsRefused() {
        assertThatThrownBy(() -> AdaptorConfig.from(WALConfig.of(Map.of(AdaptorConfig.BUFFER_BYTES.name(), "-1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AdaptorConfig.BUFFER_BYTES.name());
    }

    @Test
    void theDurabilityDefaultsToTheBackendsAndMustBeOneItSupports() {
        io.wal4j.spi.Capabilities caps = new io.wal4j.spi.Capabilities(
                java.util.Set.of(io.wal4j.api.Durability.OS, io.wal4j.api.Durability.DISK),
                io.wal4j.api.Durability.DISK, true, true, true, true, 1024);
        assertThat(AdaptorConfig.from(WALConfig.empty()).durabilityFor(caps)).isEqualTo(io.wal4j.api.Durability.DISK);
        assertThat(AdaptorConfig.from(WALConfig.of(Map.of(AdaptorConfig.DURABILITY.name(), "os"))).durabilityFor(caps))
                .isEqualTo(io.wal4j.api.Durability.OS);
        AdaptorConfig replicated = AdaptorConfig.from(WALConfig.of(Map.of(AdaptorConfig.DURABILITY.name(),
                "REPLICATED")));
        assertThatThrownBy(() -> replicated.durabilityFor(caps)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AdaptorConfig.DURABILITY.name()).hasMessageContaining("REPLICATED");
        assertThatThrownBy(() -> AdaptorConfig.from(WALConfig.of(Map.of(AdaptorConfig.DURABILITY.name(), "tape"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(AdaptorConfig.DURABILITY.name());
    }

    @Test
    void aWALAppendsAtTheConfiguredDurability() {
        WALConfig config = WALConfig.of(Map.of(AdaptorConfig.DURABILITY.name(), "MEMORY"));
        try (io.wal4j.api.Opener opener = WALRegistry.builder(new io.wal4j.impls.memory.MemoryOpenerBuilder())
                .build(config);
             io.wal4j.api.WAL wal = opener.open(io.wal4j.api.OpenOption.readWrite("durable", 1))) {
            assertThat(wal.append(io.wal4j.api.message.MutableMessage.newBuilder().build()).durability())
                    .isEqualTo(io.wal4j.api.Durability.MEMORY);
        }
        assertThatThrownBy(() -> WALRegistry.builder(new io.wal4j.impls.memory.MemoryOpenerBuilder())
                .build(WALConfig.of(Map.of(AdaptorConfig.DURABILITY.name(), "DISK"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("supported: [MEMORY]");
    }
}
