package io.wal4j.api;

/** How a channel is opened: as its single writer or as one of any number of readers. */
public enum AccessMode {
    /** The writer of the channel; may append and truncate. At most one live writer per channel and term. */
    READ_WRITE("rw"),
    /** A reader; appends and truncates fail with {@link UnsupportedOperationException}. */
    READ_ONLY("ro");

    private final String shortName;

    AccessMode(String shortName) {
        this.shortName = shortName;
    }

    /** @return {@code "rw"} or {@code "ro"}, as printed in {@link PChannelInfo#toString()} */
    public String shortName() {
        return shortName;
    }
}
