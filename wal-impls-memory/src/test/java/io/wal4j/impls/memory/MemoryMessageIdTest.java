package io.wal4j.impls.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryMessageIdTest {

    @Test
    void marshalIsTheOffsetAsEightBytesBigEndian() {
        assertThat(MemoryMessageId.of(0x0102030405060708L).marshal())
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void toStringIsMemoryColonOffset() {
        assertThat(MemoryMessageId.of(42)).hasToString("memory:42");
    }

    @Test
    void walNameIsMemory() {
        assertThat(MemoryMessageId.of(1).walName()).isEqualTo("memory");
    }

    @Test
    void compareToOrdersByOffset() {
        assertThat(MemoryMessageId.of(3).compareTo(MemoryMessageId.of(4))).isNegative();
        assertThat(MemoryMessageId.of(4).compareTo(MemoryMessageId.of(3))).isPositive();
        assertThat(MemoryMessageId.of(4).compareTo(MemoryMessageId.of(4))).isZero();
        assertThat(MemoryMessageId.of(Long.MAX_VALUE).isBefore(MemoryMessageId.of(0))).isFalse();
    }

    @Test
    void compareToAnotherBackendsIdThrowsIllegalArgumentException() {
        assertThatThrownBy(() -> MemoryMessageId.of(1).compareTo(new MemoryTestUtils.ForeignId(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("foreign:1");
    }

    @Test
    void compareToNullThrowsNullPointerException() {
        assertThatThrownBy(() -> MemoryMessageId.of(1).compareTo(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aNegativeOffsetIsRejectedWithIllegalArgumentException() {
        assertThatThrownBy(() -> MemoryMessageId.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void idsOfTheSameOffsetAreEqualWithEqualHashCodes() {
        assertThat(MemoryMessageId.of(7)).isEqualTo(MemoryMessageId.of(7)).hasSameHashCodeAs(MemoryMessageId.of(7))
                .isNotEqualTo(MemoryMessageId.of(8));
    }
}
