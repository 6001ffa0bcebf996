package io.wal4j.spi;

import io.wal4j.api.Durability;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a backend can do; the adaptor and the conformance kits read it, and skip visibly what a backend lacks.
 * Immutable.
 *
 * @param durabilities        the durability levels appends may ask for; never empty
 * @param defaultDurability   the level used when the caller asks for none; one of {@code durabilities}
 * @param truncate            whether {@link WALImpls#truncate} actually drops data (it is always callable)
 * @param fencing             whether opening a channel at a higher term fences the older writer
 * @param readOnly            whether {@link OpenerImpls#openReadOnly} is supported
 * @param crossProcessReaders whether a reader in another process sees this process's appends
 * @param maxMessageBytes     the largest message (payload plus properties) the backend stores
 */
public record Capabilities(Set<Durability> durabilities, Durability defaultDurability, boolean truncate,
                           boolean fencing, boolean readOnly, boolean crossProcessReaders, long maxMessageBytes) {

    /**
     * @throws NullPointerException     if a set or level is null
     * @throws IllegalArgumentException if the levels are empty, the default is not among them, or the size is not
     *                                  positive
     */
    public Capabilities {
        Objects.requireNonNull(defaultDurability, "defaultDurability");
        if (durabilities.isEmpty()) {
            throw new IllegalArgumentException("a backend supports at least one durability level");
        }
        durabilities = Set.copyOf(EnumSet.copyOf(durabilities));
        if (!durabilities.contains(defaultDurability)) {
            throw new IllegalArgumentException("default durability " + defaultDurability + " is not among "
                    + durabilities);
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
    }

    /**
     * @param limit the size limit an opener's configuration set
     * @return these capabilities with {@link #maxMessageBytes()} replaced: what an {@link OpenerImpls#capabilities()}
     *     returns when the limit is configurable
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public Capabilities withMaxMessageBytes(long limit) {
        return new Capabilities(durabilities, defaultDurability, truncate, fencing, readOnly, crossProcessReaders,
                limit);
    }

    /** @return whether appends may ask for {@code level} */
    public boolean supports(Durability level) {
        return durabilities.contains(level);
    }
}
