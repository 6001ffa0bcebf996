package io.wal4j.api.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MutableMessageTest {

    @Test
    void builderCopiesThePayloadSoLaterChangesCannotLeakIn() {
        byte[] payload = {1, 2, 3};
        MutableMessage message = MutableMessage.newBuilder().payload(payload).build();
        payload[0] = 9;
        assertThat(message.payload()).containsExactly(1, 2, 3);
        message.payload()[1] = 9;
        assertThat(message.payload()).containsExactly(1, 2, 3);
        assertThat(message.payloadBuffer().isReadOnly()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"_", "_tt", "_custom"})
    void reservedPropertyKeysAreRefused(String key) {
        assertThatThrownBy(() -> MutableMessage.newBuilder().property(key, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + key + "\"").hasMessageContaining("reserved");
    }

    @Test
    void nullAndEmptyPropertyPartsAreRefused() {
        assertThatThrownBy(() -> MutableMessage.newBuilder().property(null, "v"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MutableMessage.newBuilder().property("k", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("k");
        assertThatThrownBy(() -> MutableMessage.newBuilder().property("", "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MutableMessage.newBuilder().payload(null))
                .isInstanceOf(NullPointerException.class).hasMessage("payload");
    }

    @Test
    void typeAndVchannelDefaultToDataAndBroadcast() {
        MutableMessage message = MutableMessage.newBuilder().build();
        assertThat(message.messageType()).isEqualTo(MessageType.DATA);
        assertThat(message.vchannel()).isEmpty();
        MutableMessage routed = MutableMessage.newBuilder().vchannel("v1")
                .messageType(MessageType.define("mmtest.insert")).build();
        assertThat(routed.vchannel()).isEqualTo("v1");
        assertThat(routed.messageType().name()).isEqualTo("mmtest.insert");
        assertThat(MutableMessage.newBuilder().vchannel("v1").vchannel("").build().vchannel()).isEmpty();
    }

    @Test
    void copiesAreIndependentOfStamping() {
        MutableMessage original = MutableMessage.newBuilder().property("k", "v").build();
        MutableMessage copy = original.copy().withTimeTick(5).withTerm(2);
        assertThat(original.properties()).containsOnlyKeys("k");
        assertThat(copy.properties()).containsEntry("_tt", "5").containsEntry("_wt", "2").containsEntry("k", "v");
    }

    @Test
    void stampsBecomeReadableOnTheImmutableForm() {
        MessageIds.register(TestMessageId.CODEC);
        TestMessageId confirmed = new TestMessageId("apitest", 3);
        TestMessageId own = new TestMessageId("apitest", 8);
        ImmutableMessage stored = MutableMessage.newBuilder().payload("hi".getBytes(StandardCharsets.UTF_8)).build()
                .withTimeTick(77).withTerm(4).withLastConfirmed(confirmed)
                .withTxnContext(new TxnContext(12, Duration.ofSeconds(3))).toImmutable(own);
        assertThat(stored.id()).isEqualTo(own);
        assertThat(stored.timeTick()).isEqualTo(77);
        assertThat(stored.term()).hasValue(4);
        assertThat(stored.lastConfirmedId()).isEqualTo(confirmed);
        assertThat(stored.txnContext()).contains(new TxnContext(12, Duration.ofSeconds(3)));
        assertThat(stored.isPersisted()).isTrue();
        assertThat(new String(stored.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void lastConfirmedSelfPointsAtTheOwnId() {
        TestMessageId own = new TestMessageId("apitest", 8);
        ImmutableMessage stored = MutableMessage.newBuilder().build().withLastConfirmedSelf().toImmutable(own);
        assertThat(stored.lastConfirmedId()).isSameAs(own);
    }

    @Test
    void missingStampsFailClearly() {
        ImmutableMessage raw = ImmutableMessage.of(new TestMessageId("apitest", 1), new byte[0], Map.of());
        assertThat(raw.hasTimeTick()).isFalse();
        assertThatThrownBy(raw::timeTick).isInstanceOf(IllegalStateException.class).hasMessageContaining("_tt");
        assertThatThrownBy(raw::lastConfirmedId).isInstanceOf(IllegalStateException.class);
        assertThat(raw.term()).isEmpty();
        assertThat(raw.txnContext()).isEmpty();
    }

    @Test
    void withReservedPropertyOnlyTakesReservedKeys() {
        MutableMessage message = MutableMessage.newBuilder().build().withReservedProperty("_x", "1");
        assertThat(message.property("_x")).isEqualTo("1");
        assertThatThrownBy(() -> message.withReservedProperty("x", "1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void estimatedSizeCountsPayloadAndUtf8Properties() {
        MutableMessage message = MutableMessage.newBuilder().payload(new byte[10]).property("ké", "v").build();
        assertThat(message.estimateSize()).isEqualTo(10 + 3 + 1);
    }

    @Test
    void immutableCopiesItsInputs() {
        byte[] payload = {1};
        java.util.HashMap<String, String> props = new java.util.HashMap<>(Map.of("a", "b"));
        ImmutableMessage message = ImmutableMessage.of(new TestMessageId("apitest", 1), payload, props);
        payload[0] = 2;
        props.put("c", "d");
        assertThat(message.payload()).containsExactly(1);
        assertThat(message.properties()).containsOnlyKeys("a");
        assertThatThrownBy(() -> message.properties().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void txnContextEncodingRoundTripsAndRefusesGarbage() {
        TxnContext txn = new TxnContext(5, Duration.ofMillis(1500));
        assertThat(TxnContext.decode(txn.encode())).isEqualTo(txn);
        assertThatThrownBy(() -> TxnContext.decode("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> new TxnContext(-1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TxnContext(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
