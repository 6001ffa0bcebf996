package io.wal4j.api;

/** Stored data failed verification (a checksum, a header, a length) at a known file and position. Permanent. */
public class WALCorruptionException extends WALStorageException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long position;

    /**
     * @param file     the file (or segment, or topic-partition) holding the bad bytes
     * @param position the byte offset of the bad record within it
     * @param message  what was expected and what was found
     */
    public WALCorruptionException(String file, long position, String message) {
        super(message + " at " + file + " position " + position, null, true);
        this.file = file;
        this.position = position;
    }

    /** @return the file holding the bad bytes */
    public String file() {
        return file;
    }

    /** @return the byte offset of the bad record */
    public long position() {
        return position;
    }
}
