package io.wal4j.api.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.DeliverFilter;
import org.junit.jupiter.api.Test;

class MessageTypeTest {

    @Test
    void builtInSystemTypesCarryTheirFlags() {
        for (MessageType t : new MessageType[] {MessageType.TIME_TICK, MessageType.BEGIN_TXN,
                MessageType.COMMIT_TXN, MessageType.ROLLBACK_TXN, MessageType.TXN}) {
            assertThat(t.isSystem()).as(t.name()).isTrue();
            assertThat(t.isSelfControlled()).as(t.name()).isTrue();
        }
        assertThat(MessageType.DATA.isSystem()).isFalse();
    }

    @Test
    void defineIsIdempotentForTheSameFlagsAndRefusesConflicts() {
        MessageType create = MessageType.define("typetest.create", true);
        assertThat(MessageType.define("typetest.create", true)).isSameAs(create);
        assertThat(create.isExclusive()).isTrue();
        assertThatThrownBy(() -> MessageType.define("typetest.create", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already defined");
        assertThatThrownBy(() -> MessageType.define("TimeTick"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TimeTick");
    }

    @Test
    void ofReturnsTheDefinitionOrAPlainTypeEqualByName() {
        MessageType insert = MessageType.define("typetest.insert");
        assertThat(MessageType.of("typetest.insert")).isSameAs(insert);
        MessageType unknown = MessageType.of("typetest.neverDefined");
        assertThat(unknown).isEqualTo(MessageType.of("typetest.neverDefined"));
        assertThat(unknown.isExclusive() || unknown.isSystem()).isFalse();
    }

    @Test
    void invalidNamesAreRefused() {
        assertThatThrownBy(() -> MessageType.define("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageType.define("a b")).hasMessageContaining("a b");
        assertThatThrownBy(() -> MessageType.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void messageTypeFilterRefusesSystemTypesAndEmptyLists() {
        assertThatThrownBy(() -> DeliverFilter.messageTypeIn(MessageType.TIME_TICK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TimeTick");
        assertThatThrownBy(DeliverFilter::messageTypeIn).isInstanceOf(IllegalArgumentException.class);
        assertThat(DeliverFilter.messageTypeIn(MessageType.DATA))
                .isEqualTo(new DeliverFilter.MessageTypeIn(java.util.Set.of(MessageType.DATA)));
    }
}
