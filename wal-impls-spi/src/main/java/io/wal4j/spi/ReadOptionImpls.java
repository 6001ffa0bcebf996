package io.wal4j.spi;

import io.wal4j.api.DeliverPolicy;
import java.util.Objects;

/**
 * How a backend scanner reads. Immutable.
 *
 * @param name          a name unique among the WAL's scanners; {@link ScannerImpls#name()} returns it
 * @param deliverPolicy where to start
 * @param readAhead     how many messages the scanner may prefetch, {@code >= 1}
 */
public record ReadOptionImpls(String name, DeliverPolicy deliverPolicy, int readAhead) {

    /**
     * @throws NullPointerException     if the name or policy is null
     * @throws IllegalArgumentException if the name is blank or {@code readAhead < 1}
     */
    public ReadOptionImpls {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(deliverPolicy, "deliverPolicy");
        if (name.isBlank()) {
            throw new IllegalArgumentException("scanner name must not be blank");
        }
        if (readAhead < 1) {
            throw new IllegalArgumentException("readAhead must be >= 1, got " + readAhead);
        }
    }
}
