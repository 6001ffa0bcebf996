package io.wal4j.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A physical channel (one log) as opened: its name, its fencing term and the access mode.
 *
 * <p>Names match {@code [A-Za-z0-9._-]{1,200}} and are neither {@code "."} nor {@code ".."}, so a backend may use
 * them as a file or topic name without escaping. The term is a fencing epoch: it is {@code >= 0} and grows each time
 * ownership of the channel moves to a new writer. Immutable and thread-safe.
 *
 * @param name       the channel name
 * @param term       the fencing term, {@code >= 0}
 * @param accessMode read-write or read-only
 */
public record PChannelInfo(String name, long term, AccessMode accessMode) {

    /** The longest accepted channel name. */
    public static final int MAX_NAME_LENGTH = 200;

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_LENGTH + "}");

    /**
     * @throws NullPointerException     if {@code name} or {@code accessMode} is null
     * @throws IllegalArgumentException if the name is invalid or the term negative; the message quotes the value
     */
    public PChannelInfo {
        checkName(name);
        Objects.requireNonNull(accessMode, "accessMode");
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term + " for channel " + name);
        }
    }

    /** @return a read-write channel info; see the constructor for the exceptions */
    public static PChannelInfo readWrite(String name, long term) {
        return new PChannelInfo(name, term, AccessMode.READ_WRITE);
    }

    /** @return a read-only channel info; see the constructor for the exceptions */
    public static PChannelInfo readOnly(String name, long term) {
        return new PChannelInfo(name, term, AccessMode.READ_ONLY);
    }

    /**
     * Checks a channel name.
     *
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if it does not match {@code [A-Za-z0-9._-]{1,200}} or is "." or ".."
     */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!VALID_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid channel name \"" + printable(name)
                    + "\": expected 1 to " + MAX_NAME_LENGTH + " characters of [A-Za-z0-9._-], not \".\" or \"..\"");
        }
    }

    /** @return this info with another access mode */
    public PChannelInfo withAccessMode(AccessMode mode) {
        return new PChannelInfo(name, term, mode);
    }

    private static String printable(String name) {
        String shown = name.length() > 60 ? name.substring(0, 60) + "...(" + name.length() + " chars)" : name;
        StringBuilder out = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** @return {@code name:rw@term} or {@code name:ro@term} */
    @Override
    public String toString() {
        return name + ":" + accessMode.shortName() + "@" + term;
    }
}
