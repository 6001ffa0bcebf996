package io.wal4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WALConfigTest {

    private static final ConfigKey<Integer> COUNT = ConfigKey.ofInt("wal.t.count", 7, 0, 100, "a count");
    private static final ConfigKey<String> NAME = ConfigKey.ofString("wal.t.name", null, "a name");

    @Test
    void absentKeysReadAsTheirDefault() {
        assertThat(WALConfig.empty().get(COUNT)).isEqualTo(7);
        assertThat(WALConfig.empty().get(NAME)).isNull();
    }

    @Test
    void valuesAreParsedThroughTheirKey() {
        WALConfig config = WALConfig.of(Map.of("wal.t.count", "42", "wal.t.name", "x"));
        assertThat(config.get(COUNT)).isEqualTo(42);
        assertThat(config.get(NAME)).isEqualTo("x");
        assertThat(config.raw("wal.t.count")).contains("42");
    }

    @Test
    void malformedValueFailsWithTheKeyName() {
        WALConfig config = WALConfig.of(Map.of("wal.t.count", "many"));
        assertThatThrownBy(() -> config.get(COUNT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wal.t.count");
    }

    @Test
    void requireKnownRefusesUnknownKeysUnderThePrefixOnly() {
        WALConfig config = WALConfig.of(Map.of("wal.t.count", "1", "wal.t.cuont", "2", "wal.other.x", "3"));
        assertThatThrownBy(() -> config.requireKnown("wal.t.", List.of(COUNT, NAME)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wal.t.cuont")
                .hasMessageContaining("wal.t.count");
        WALConfig.of(Map.of("wal.t.count", "1", "wal.other.x", "3")).requireKnown("wal.t.", List.of(COUNT));
    }

    @Test
    void requireKnownAlsoParsesEveryKnownKey() {
        WALConfig config = WALConfig.of(Map.of("wal.t.count", "1000"));
        assertThatThrownBy(() -> config.requireKnown("wal.t.", List.of(COUNT)))
                .hasMessageContaining("wal.t.count").hasMessageContaining("between 0 and 100");
    }

    @Test
    void passThroughPrefixesAreNotChecked() {
        WALConfig config = WALConfig.of(Map.of("wal.t.client.acks", "all"));
        config.requireKnown("wal.t.", List.of(COUNT), "wal.t.client.");
        assertThat(config.withPrefix("wal.t.client.")).containsExactly(Map.entry("acks", "all"));
    }

    @Test
    void nullValuesAreRefusedWithTheKey() {
        Map<String, String> map = new HashMap<>();
        map.put("wal.t.count", null);
        assertThatThrownBy(() -> WALConfig.of(map)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("wal.t.count");
    }

    @Test
    void withAndMergeReturnNewConfigs() {
        WALConfig base = WALConfig.of(Map.of("wal.t.count", "1"));
        WALConfig changed = base.with("wal.t.count", "2");
        assertThat(base.get(COUNT)).isEqualTo(1);
        assertThat(changed.get(COUNT)).isEqualTo(2);
        assertThat(base.merge(WALConfig.of(Map.of("wal.t.name", "n"))).asMap())
                .containsExactly(Map.entry("wal.t.count", "1"), Map.entry("wal.t.name", "n"));
    }

    @Test
    void loadsPropertiesFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("wal.properties");
        Files.writeString(file, "wal.t.count=9\n# comment\nwal.t.name = spaced\n");
        WALConfig config = WALConfig.load(file);
        assertThat(config.get(COUNT)).isEqualTo(9);
        assertThat(config.get(NAME)).isEqualTo("spaced");
        assertThatThrownBy(() -> WALConfig.load(dir.resolve("missing.properties")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.properties");
    }

    @Test
    void fromPropertiesAndSystemPropertiesKeepOnlyStrings() {
        Properties props = new Properties();
        props.setProperty("wal.t.count", "3");
        assertThat(WALConfig.fromProperties(props).get(COUNT)).isEqualTo(3);
        System.setProperty("wal.t.sys", "on");
        try {
            assertThat(WALConfig.fromSystemProperties().raw("wal.t.sys")).contains("on");
            assertThat(WALConfig.fromSystemProperties().raw("java.version")).isEmpty();
        } finally {
            System.clearProperty("wal.t.sys");
        }
    }
}
