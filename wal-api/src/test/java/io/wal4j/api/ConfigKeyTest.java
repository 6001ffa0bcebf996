package io.wal4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

    private static final ConfigKey<Long> SIZE = ConfigKey.ofSize("wal.t.size", 1024, 1, 1L << 40, "a size");
    private static final ConfigKey<Duration> DELAY =
            ConfigKey.ofDuration("wal.t.delay", Duration.ofMillis(5), Duration.ZERO, Duration.ofHours(1), "a delay");

    @ParameterizedTest
    @CsvSource({"4096,4096", "4KiB,4096", "4k,4096", "1 MiB,1048576", "2g,2147483648", "7B,7", "3kb,3072"})
    void sizesAcceptUnits(String text, long bytes) {
        assertThat(SIZE.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"10ms,10", "5s,5000", "2m,120000", "1h,3600000", "PT0.25S,250", "0ms,0"})
    void durationsAcceptUnitsAndIso(String text, long millis) {
        assertThat(DELAY.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "4 parsecs", "0", "99999999999999999999"})
    void malformedSizesFailNamingTheKeyAndValue(String text) {
        assertThatThrownBy(() -> SIZE.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wal.t.size")
                .hasMessageContaining("\"" + text + "\"");
    }

    @Test
    void outOfRangeValuesStateTheRange() {
        ConfigKey<Integer> key = ConfigKey.ofInt("wal.t.n", 3, 1, 10, "n");
        assertThat(key.parse(" 10 ")).isEqualTo(10);
        assertThatThrownBy(() -> key.parse("11")).hasMessageContaining("between 1 and 10");
        assertThatThrownBy(() -> DELAY.parse("2h")).hasMessageContaining("wal.t.delay");
    }

    @Test
    void booleansAndEnumsParseStrictly() {
        ConfigKey<Boolean> flag = ConfigKey.ofBoolean("wal.t.flag", false, "flag");
        assertThat(flag.parse("TRUE")).isTrue();
        assertThatThrownBy(() -> flag.parse("yes")).hasMessageContaining("wal.t.flag");
        ConfigKey<Durability> level = ConfigKey.ofEnum("wal.t.level", Durability.class, Durability.DISK, "level");
        assertThat(level.parse("os")).isEqualTo(Durability.OS);
        assertThatThrownBy(() -> level.parse("tape")).hasMessageContaining("wal.t.level");
    }
}
