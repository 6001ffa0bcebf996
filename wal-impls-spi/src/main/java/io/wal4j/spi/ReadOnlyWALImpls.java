package io.wal4j.spi;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.ImmutableMessage;

import java.time.Duration;
import java.util.Optional;

/** One channel of a backend opened for reading. Thread-safe. */
public interface ReadOnlyWALImpls extends AutoCloseable {

    /** @return the backend's name */
    String walName();

    /** @return the channel as opened */
    PChannelInfo channel();

    /**
     * Creates a scanner delivering messages in id order from the option's position.
     *
     * @throws NullPointerException if {@code option} is null
     * @throws io.wal4j.api.WALClosedException        if this WAL is closed
     * @throws io.wal4j.api.InvalidMessageIdException if the policy's id belongs to another backend
     */
    ScannerImpls read(ReadOptionImpls option);

    /**
     * Returns the message with the largest id, if the channel holds any. The adaptor calls it once when a channel is
     * opened read-write, to recover the last time tick so that ticks never go backwards across a reopen.
     *
     * <p>The default reads the whole channel with a scanner from {@link DeliverPolicy#all()} and stops at the first
     * {@link ScannerImpls#poll poll(Duration.ZERO)} that returns null: linear in the size of the channel, and correct
     * only for backends whose scanners deliver every acknowledged message without delay (true of local backends).
     * A backend that knows its last id cheaply should override it; one whose scanners may return null before the end
     * (a remote backend) must.
     *
     * @return the last message, or empty if the channel is empty
     * @throws io.wal4j.api.WALClosedException if this WAL is closed
     * @throws io.wal4j.api.WALException       if the backend fails while reading
     */
    default Optional<ImmutableMessage> readLast() {
        ImmutableMessage last = null;
        try (ScannerImpls scanner = read(new ReadOptionImpls("wal4j-read-last", DeliverPolicy.all(), 128))) {
            for (ImmutableMessage m = scanner.poll(Duration.ZERO); m != null; m = scanner.poll(Duration.ZERO)) {
                last = m;
            }
        }
        return Optional.ofNullable(last);
    }

    /** Closes the WAL and every scanner it created. Idempotent; never throws. */
    @Override
    void close();
}
