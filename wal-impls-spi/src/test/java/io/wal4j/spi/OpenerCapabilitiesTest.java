package io.wal4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Per-opener capabilities: the SPI's additive way for an opener to report a configured size limit. */
class OpenerCapabilitiesTest {

    private static final Capabilities BUILDER = new Capabilities(EnumSet.of(Durability.OS, Durability.DISK),
            Durability.DISK, true, false, true, false, 1024);

    @Test
    void anOpenerThatDoesNotOverrideCapabilitiesDefersToItsBuilder() {
        OpenerImpls opener = new OpenerImpls() {
            @Override
            public WALImpls open(OpenOption option) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ReadOnlyWALImpls openReadOnly(OpenOption option) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
        assertThat(opener.capabilities()).isEmpty();
        assertThat(opener.capabilities().orElse(BUILDER)).isSameAs(BUILDER);
    }

    @Test
    void withMaxMessageBytesChangesTheLimitOnly() {
        Capabilities larger = BUILDER.withMaxMessageBytes(4096);
        assertThat(larger.maxMessageBytes()).isEqualTo(4096);
        assertThat(larger.withMaxMessageBytes(1024)).isEqualTo(BUILDER);
        assertThat(BUILDER.maxMessageBytes()).as("the original is unchanged").isEqualTo(1024);
    }

    @Test
    void withMaxMessageBytesRefusesANonPositiveLimit() {
        assertThatThrownBy(() -> BUILDER.withMaxMessageBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessageBytes");
    }
}
