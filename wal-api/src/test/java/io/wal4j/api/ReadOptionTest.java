package io.wal4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadOptionTest {

    @Test
    void defaultsReadEverythingWithTheDefaultReadAhead() {
        ReadOption option = ReadOption.all();
        assertThat(option.deliverPolicy()).isEqualTo(DeliverPolicy.all());
        assertThat(option.name()).isEmpty();
        assertThat(option.vchannel()).isEmpty();
        assertThat(option.filters()).isEmpty();
        assertThat(option.readAhead()).isEqualTo(ReadOption.DEFAULT_READ_AHEAD);
    }

    @Test
    void builderKeepsEverySetting() {
        ReadOption option = ReadOption.newBuilder().name("s1").deliverPolicy(DeliverPolicy.latest())
                .vchannel("v1").filter(DeliverFilter.timeTickGte(5)).filter(DeliverFilter.timeTickGt(4))
                .readAhead(7).build();
        assertThat(option.name()).contains("s1");
        assertThat(option.deliverPolicy()).isEqualTo(DeliverPolicy.latest());
        assertThat(option.vchannel()).contains("v1");
        assertThat(option.filters()).containsExactly(DeliverFilter.timeTickGte(5), DeliverFilter.timeTickGt(4));
        assertThat(option.readAhead()).isEqualTo(7);
    }

    @Test
    void badSettingsAreRefused() {
        ReadOption.Builder builder = ReadOption.newBuilder();
        assertThatThrownBy(() -> builder.readAhead(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> builder.name(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.vchannel("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.deliverPolicy(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.filter(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DeliverPolicy.startFrom(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DeliverPolicy.startAfter(null)).isInstanceOf(NullPointerException.class);
    }
}
