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
}
