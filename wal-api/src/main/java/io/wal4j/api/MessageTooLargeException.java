package io.wal4j.api;

/** A message is larger than the WAL accepts; nothing was appended. */
public class MessageTooLargeException extends WALException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    /**
     * @param size  the message's size in bytes (payload plus properties)
     * @param limit the largest accepted size in bytes
     */
    public MessageTooLargeException(long size, long limit) {
        super("message of " + size + " bytes exceeds the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    /** @return the message's size in bytes */
    public long size() {
        return size;
    }

    /** @return the largest accepted size in bytes */
    public long limit() {
        return limit;
    }
}
