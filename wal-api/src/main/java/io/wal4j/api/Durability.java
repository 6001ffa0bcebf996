package io.wal4j.api;

/**
 * How much failure an acknowledged append survives. Levels are ordered: each survives everything the previous one
 * does. Each backend states which levels it supports; an append is acknowledged only once its level is reached and
 * {@link AppendResult#durability()} reports the level actually reached (which may be higher than asked).
 */
public enum Durability {
    /** Held in this process: lost when the process dies. */
    MEMORY,
    /** Handed to the operating system: survives a process crash, not an OS crash or power loss. */
    OS,
    /** Forced to stable storage (fsync): survives an OS crash or power loss. */
    DISK,
    /** Stored on a quorum of machines: survives the loss of one machine. */
    REPLICATED;

    /** @return whether this level survives at least what {@code other} survives */
    public boolean isAtLeast(Durability other) {
        return compareTo(other) >= 0;
    }
}
