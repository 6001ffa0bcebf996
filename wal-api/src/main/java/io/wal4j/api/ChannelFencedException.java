package io.wal4j.api;

/**
 * The writer of a channel was fenced: a newer writer (a higher term) took the channel over. Permanent: the WAL
 * becomes unavailable and every later append fails the same way; close it and reopen at a newer term.
 */
public class ChannelFencedException extends WALException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final long term;

    /**
     * @param channel the fenced channel's name
     * @param term    the term of the fenced writer
     * @param message what fenced it
     */
    public ChannelFencedException(String channel, long term, String message) {
        super("channel " + channel + " fenced at term " + term + ": " + message);
        this.channel = channel;
        this.term = term;
    }

    /** @return the fenced channel's name */
    public String channel() {
        return channel;
    }

    /** @return the term of the fenced writer */
    public long term() {
        return term;
    }
}
