package io.wal4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PChannelInfoTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "Orders-2026.v1_x", "..a", "a.."})
    void validNamesAreAccepted(String name) {
        assertThat(PChannelInfo.readWrite(name, 0).name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc", "a/b", "a\\b", "a b", "a\u0000b", "é", "a:b"})
    void invalidNamesAreRefusedWithTheNameInTheMessage(String name) {
        assertThatThrownBy(() -> PChannelInfo.readWrite(name, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid channel name");
    }

    @Test
    void controlCharactersAreEscapedInTheMessage() {
        assertThatThrownBy(() -> PChannelInfo.readWrite("a\u0000b", 0)).hasMessageContaining("a\\u0000b");
    }

    @Test
    void nameOfExactly200CharactersIsAcceptedAnd201IsRefused() {
        assertThat(PChannelInfo.readOnly("x".repeat(200), 1).name()).hasSize(200);
        assertThatThrownBy(() -> PChannelInfo.readOnly("x".repeat(201), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("201 chars");
    }

    @Test
    void negativeTermIsRefusedWithTheValue() {
        assertThatThrownBy(() -> PChannelInfo.readWrite("c", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void nullsAreRefusedWithTheArgumentName() {
        assertThatThrownBy(() -> new PChannelInfo(null, 0, AccessMode.READ_ONLY))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> new PChannelInfo("c", 0, null))
                .isInstanceOf(NullPointerException.class).hasMessage("accessMode");
    }

    @Test
    void toStringShowsNameModeAndTerm() {
        assertThat(PChannelInfo.readWrite("orders", 3)).hasToString("orders:rw@3");
        assertThat(PChannelInfo.readOnly("orders", 3)).hasToString("orders:ro@3");
        assertThat(PChannelInfo.readWrite("orders", 3).withAccessMode(AccessMode.READ_ONLY))
                .isEqualTo(PChannelInfo.readOnly("orders", 3));
    }

    @Test
    void openOptionKnowsWhetherItIsReadOnly() {
        assertThat(OpenOption.readOnly("c", 1).isReadOnly()).isTrue();
        assertThat(OpenOption.readWrite("c", 1).isReadOnly()).isFalse();
        assertThatThrownBy(() -> new OpenOption(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void durabilityLevelsAreOrdered() {
        assertThat(Durability.DISK.isAtLeast(Durability.OS)).isTrue();
        assertThat(Durability.OS.isAtLeast(Durability.DISK)).isFalse();
        assertThat(Durability.MEMORY.isAtLeast(Durability.MEMORY)).isTrue();
        assertThat(Durability.REPLICATED.isAtLeast(Durability.DISK)).isTrue();
    }
}
