package io.wal4j.api;

import java.util.Objects;

/**
 * What to open: a channel at a term in an access mode. Immutable and thread-safe.
 *
 * @param channel the channel to open; its access mode decides between {@link WAL} and {@link ReadOnlyWAL}
 */
public record OpenOption(PChannelInfo channel) {

    /** @throws NullPointerException if {@code channel} is null */
    public OpenOption {
        Objects.requireNonNull(channel, "channel");
    }

    /** @return an option that opens {@code name} for writing at {@code term}; see {@link PChannelInfo} */
    public static OpenOption readWrite(String name, long term) {
        return new OpenOption(PChannelInfo.readWrite(name, term));
    }

    /** @return an option that opens {@code name} for reading at {@code term}; see {@link PChannelInfo} */
    public static OpenOption readOnly(String name, long term) {
        return new OpenOption(PChannelInfo.readOnly(name, term));
    }

    /** @return whether the channel is opened read-only */
    public boolean isReadOnly() {
        return channel.accessMode() == AccessMode.READ_ONLY;
    }
}
