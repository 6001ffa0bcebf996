package io.wal4j.api.message;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The kind of a message, with the flags that change how the WAL treats it:
 * <ul>
 *   <li>{@linkplain #isSystem() system}: produced by the WAL for its own protocol (time ticks, transactions); never
 *       removed by a message-type filter;</li>
 *   <li>{@linkplain #isExclusive() exclusive}: appended alone on its vchannel, or on the whole channel when the
 *       vchannel is empty; it fails the transactions open there;</li>
 *   <li>{@linkplain #isSelfControlled() self-controlled}: only the WAL itself may append it.</li>
 * </ul>
 * Applications {@linkplain #define define} their own types once (for example {@code insert}, {@code delete}); types
 * are equal when their names are equal. Immutable and thread-safe.
 */
public final class MessageType {

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Map<String, MessageType> DEFINED = new ConcurrentHashMap<>();

    /** A time-tick sync message, appended by the WAL to move readers' time forward. */
    public static final MessageType TIME_TICK = defineBuiltIn("TimeTick", true, false, true);
    /** Opens a transaction. */
    public static final MessageType BEGIN_TXN = defineBuiltIn("BeginTxn", true, false, true);
    /** Commits a transaction. */
    public static final MessageType COMMIT_TXN = defineBuiltIn("CommitTxn", true, false, true);
    /** Rolls a transaction back. */
    public static final MessageType ROLLBACK_TXN = defineBuiltIn("RollbackTxn", true, false, true);
    /** A whole committed transaction as delivered to readers ({@link ImmutableTxnMessage}); never stored. */
    public static final MessageType TXN = defineBuiltIn("Txn", true, false, true);
    /** The type of a message built without one: plain application data. */
    public static final MessageType DATA = defineBuiltIn("Data", false, false, false);

    private final String name;
    private final boolean system;
    private final boolean exclusive;
    private final boolean selfControlled;

    private MessageType(String name, boolean system, boolean exclusive, boolean selfControlled) {
        this.name = name;
        this.system = system;
        this.exclusive = exclusive;
        this.selfControlled = selfControlled;
    }

    /**
     * Defines an application type, or returns the existing definition when it has the same flags.
     *
     * @param name      {@code [A-Za-z0-9._-]{1,64}}
     * @param exclusive whether messages of this type must be appended alone on their vchannel
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if the name is invalid, names a built-in type, or was defined with another flag
     */
    public static MessageType define(String name, boolean exclusive) {
        checkName(name);
        MessageType wanted = new MessageType(name, false, exclusive, false);
        MessageType existing = DEFINED.putIfAbsent(name, wanted);
        if (existing == null) {
            return wanted;
        }
        if (existing.system || existing.selfControlled || existing.exclusive != exclusive) {
            throw new IllegalArgumentException("message type " + name + " is already defined as " + existing.describe());
        }
        return existing;
    }

    /** Defines (or returns) a non-exclusive application type; see {@link #define(String, boolean)}. */
    public static MessageType define(String name) {
        return define(name, false);
    }

    /**
     * Returns the type stored under {@code name}: its definition when one exists in this process, otherwise a plain
     * application type of that name (a reader need not define every type a writer used).
     *
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if the name is invalid
     */
    public static MessageType of(String name) {
        MessageType known = DEFINED.get(Objects.requireNonNull(name, "name"));
        if (known != null) {
            return known;
        }
        checkName(name);
        return new MessageType(name, false, false, false);
    }

    private static MessageType defineBuiltIn(String name, boolean system, boolean exclusive, boolean selfControlled) {
        MessageType type = new MessageType(name, system, exclusive, selfControlled);
        DEFINED.put(name, type);
        return type;
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid message type name \"" + name
                    + "\": expected 1 to 64 characters of [A-Za-z0-9._-]");
        }
    }

    /** @return the type's name, as stored in {@link ReservedProperties#MESSAGE_TYPE} */
    public String name() {
        return name;
    }

    /** @return whether this is one of the WAL's own protocol types, never filtered out */
    public boolean isSystem() {
        return system;
    }

    /** @return whether messages of this type are appended alone on their vchannel (or channel) */
    public boolean isExclusive() {
        return exclusive;
    }

    /** @return whether only the WAL itself may append messages of this type */
    public boolean isSelfControlled() {
        return selfControlled;
    }

    private String describe() {
        return name + "{system=" + system + ", exclusive=" + exclusive + ", selfControlled=" + selfControlled + "}";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageType type && type.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
