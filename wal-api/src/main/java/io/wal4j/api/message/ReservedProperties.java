package io.wal4j.api.message;

/**
 * The property keys the WAL reserves for itself. Every reserved key starts with {@value #PREFIX}; application
 * properties may not. The short keys keep the stored form compact, as in Milvus.
 */
public final class ReservedProperties {

    /** Every reserved key starts with this prefix. */
    public static final String PREFIX = "_";
    /** The message format version. */
    public static final String VERSION = "_v";
    /** The message type's name. */
    public static final String MESSAGE_TYPE = "_t";
    /** The time tick, decimal. */
    public static final String TIME_TICK = "_tt";
    /** The writer's term, decimal. */
    public static final String TERM = "_wt";
    /** The last-confirmed message id, as {@link MessageIds#toText}. */
    public static final String LAST_CONFIRMED = "_lc";
    /** Present when the last-confirmed id is the message's own id. */
    public static final String LAST_CONFIRMED_SELF = "_lcs";
    /** The vchannel; absent or empty for a broadcast message. */
    public static final String VCHANNEL = "_vc";
    /** The transaction context, as {@link TxnContext#encode()}. */
    public static final String TXN_CONTEXT = "_tx";
    /** Present on a message that is delivered to scanners but never written to the backend. */
    public static final String NOT_PERSISTED = "_np";

    private ReservedProperties() {
    }

    /** @return whether {@code key} is reserved for the WAL */
    public static boolean isReserved(String key) {
        return key.startsWith(PREFIX);
    }
}
