package io.wal4j.impls.memory;

import static io.wal4j.impls.memory.MemoryTestUtils.append;
import static io.wal4j.impls.memory.MemoryTestUtils.failure;
import static io.wal4j.impls.memory.MemoryTestUtils.openRW;
import static io.wal4j.impls.memory.MemoryTestUtils.opener;
import static io.wal4j.impls.memory.MemoryTestUtils.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.ConfigKey;
import io.wal4j.api.Durability;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import io.wal4j.spi.registry.WALImplsRegistry;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryOpenerBuilderTest {

    private final MemoryOpenerBuilder builder = new MemoryOpenerBuilder();

    @Test
    void nameIsMemoryAndAValidBackendName() {
        assertThat(builder.name()).isEqualTo("memory").matches(OpenerBuilderImpls.VALID_NAME);
        assertThat(builder.messageIdCodec().walName()).isEqualTo("memory");
    }

    @Test
    void serviceLoaderFindsTheBuilder() {
        assertThat(ServiceLoader.load(OpenerBuilderImpls.class).stream().map(ServiceLoader.Provider::type))
                .contains(MemoryOpenerBuilder.class);
    }

    @Test
    void theRegistryDiscoversTheBackendByName() {
        assertThat(WALImplsRegistry.mustGet("memory")).isInstanceOf(MemoryOpenerBuilder.class);
        assertThat(WALImplsRegistry.names()).contains("memory");
    }

    @Test
    void capabilitiesClaimMemoryDurabilityTruncationFencingAndReadOnlyButNoCrossProcessReaders() {
        Capabilities caps = builder.capabilities();
        assertThat(caps.durabilities()).containsExactly(Durability.MEMORY);
        assertThat(caps.defaultDurability()).isEqualTo(Durability.MEMORY);
        assertThat(caps.truncate()).isTrue();
        assertThat(caps.fencing()).isTrue();
        assertThat(caps.readOnly()).isTrue();
        assertThat(caps.crossProcessReaders()).isFalse();
        assertThat(caps.maxMessageBytes()).isEqualTo(MemoryOpenerBuilder.MAX_MESSAGE_BYTES.defaultValue());
    }

    @Test
    void everyKeyIsUnderThePrefixWithADocAndADefault() {
        assertThat(MemoryOpenerBuilder.KEYS).extracting(ConfigKey::name)
                .containsExactlyInAnyOrder("wal.memory.store", "wal.memory.max-message-bytes")
                .allMatch(name -> name.startsWith(MemoryOpenerBuilder.PREFIX));
        assertThat(MemoryOpenerBuilder.KEYS).allSatisfy(key -> {
            assertThat(key.doc()).isNotBlank();
            assertThat(key.defaultValue()).isNotNull();
        });
        assertThat(MemoryOpenerBuilder.STORE.defaultValue()).isEqualTo("default");
    }

    @Test
    void anUnknownKeyUnderThePrefixFailsNamingTheKey() {
        WALConfig config = WALConfig.of(Map.of("wal.memory.stor", "x"));
        assertThatThrownBy(() -> builder.build(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wal.memory.stor").hasMessageContaining("wal.memory.store");
    }

    @ParameterizedTest
    @CsvSource({"wal.memory.max-message-bytes, lots", "wal.memory.max-message-bytes, 0",
            "wal.memory.max-message-bytes, 4GiB", "wal.memory.store, '  '"})
    void aMalformedValueFailsNamingTheKeyAndTheValue(String key, String value) {
        WALConfig config = WALConfig.of(Map.of(key, value));
        assertThatThrownBy(() -> builder.build(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key).hasMessageContaining("\"" + value + "\"");
    }

    @Test
    void keysOutsideThePrefixAreLeftToTheirOwners() {
        try (OpenerImpls opener = builder.build(WALConfig.of(Map.of("wal.file.dir", "/tmp/x")))) {
            assertThat(opener).isNotNull();
        }
    }

    @Test
    void buildRejectsANullConfig() {
        assertThatThrownBy(() -> builder.build(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("config");
    }

    @Test
    void theConfiguredMaxMessageBytesIsEnforced() {
        try (OpenerImpls opener = builder.build(WALConfig.of(Map.of("wal.memory.max-message-bytes", "100")));
             WALImpls wal = openRW(opener, "c", 1)) {
            MutableMessage big = MutableMessage.newBuilder().payload(new byte[101]).build();
            assertThat(failure(wal.append(big, Durability.MEMORY))).isInstanceOfSatisfying(
                    MessageTooLargeException.class, e -> {
                        assertThat(e.limit()).isEqualTo(100);
                        assertThat(e.size()).isEqualTo(101);
                    });
            assertThat(readAll(wal)).isEmpty();
            MutableMessage fits = MutableMessage.newBuilder().payload(new byte[100]).build();
            assertThat(MemoryTestUtils.get(wal.append(fits, Durability.MEMORY))).isEqualTo(MemoryMessageId.of(0));
        }
    }

    @Test
    void openersOfOneBuilderAndStoreShareTheirChannels() {
        try (OpenerImpls first = opener(builder, "shared"); OpenerImpls second = opener(builder, "shared")) {
            try (WALImpls wal = openRW(first, "c", 1)) {
                append(wal, 1);
            }
            try (WALImpls wal = openRW(second, "c", 2)) {
                assertThat(readAll(wal)).extracting(MemoryTestUtils::n).containsExactly(1L);
            }
        }
        assertThat(builder.store("shared").acknowledgedCount("c")).isEqualTo(1);
    }

    @Test
    void differentStoresOfOneBuilderDoNotShareData() {
        try (OpenerImpls a = opener(builder, "a"); OpenerImpls b = opener(builder, "b");
             WALImpls walA = openRW(a, "c", 1); WALImpls walB = openRW(b, "c", 1)) {
            append(walA, 1);
            assertThat(readAll(walB)).isEmpty();
            assertThat(readAll(walA)).hasSize(1);
        }
    }

    @Test
    void twoBuildersNeverShareData() {
        MemoryOpenerBuilder other = new MemoryOpenerBuilder();
        try (OpenerImpls a = opener(builder); OpenerImpls b = opener(other);
             WALImpls walA = openRW(a, "c", 1); WALImpls walB = openRW(b, "c", 1)) {
            append(walA, 1);
            assertThat(readAll(walB)).isEmpty();
        }
        assertThat(other.store("default").channelNames()).containsExactly("c");
        assertThat(other.store("default").acknowledgedCount("c")).isZero();
    }

    @Test
    void storeReturnsTheSameStoreForTheSameNameAndTheDefaultStoreIsNamedDefault() {
        assertThat(builder.store("x")).isSameAs(builder.store("x")).isNotSameAs(builder.store("y"));
        try (OpenerImpls opener = opener(builder); WALImpls wal = openRW(opener, "c", 0)) {
            append(wal, 5);
        }
        assertThat(builder.store("default").channelNames()).isEqualTo(Set.of("c"));
        assertThat(builder.store("x").channelNames()).isEmpty();
    }

    @Test
    void storeRejectsNullAndBlankNames() {
        assertThatThrownBy(() -> builder.store(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.store(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\" \"");
    }
}
