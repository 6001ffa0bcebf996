package io.wal4j.impls.file;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.Lifetime;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scanners of one WAL (read-write or read-only): creates them from a read option and closes them all when the
 * WAL closes. Thread-safe.
 */
final class ScannerSet {

    private final ChannelLog log;
    private final Lifetime lifetime;
    private final Set<FileScanner> open = ConcurrentHashMap.newKeySet();

    ScannerSet(ChannelLog log, Lifetime lifetime) {
        this.log = log;
        this.lifetime = lifetime;
    }

    /**
     * @throws NullPointerException      if {@code option} is null
     * @throws WALClosedException        if the WAL is closed
     * @throws InvalidMessageIdException if the policy's id is not a file id
     */
    ScannerImpls create(ReadOptionImpls option) {
        Objects.requireNonNull(option, "option");
        if (!lifetime.tryEnter()) {
            throw new WALClosedException("channel " + log.channel() + " is closed", lifetime.closedBy());
        }
        try {
            // A read-only log catches up with the directory first, so a new scanner starts from the present.
            refreshQuietly();
            FileScanner scanner = new FileScanner(option.name(), log, minId(option.deliverPolicy()), open::remove);
            open.add(scanner);
            return scanner;
        } finally {
            lifetime.exit();
        }
    }

    private long minId(DeliverPolicy policy) {
        if (policy instanceof DeliverPolicy.StartFrom from) {
            return sequence(from.id());
        }
        if (policy instanceof DeliverPolicy.StartAfter after) {
            return sequence(after.id()) + 1;
        }
        if (policy instanceof DeliverPolicy.Latest) {
            return log.nextId();
        }
        return 0;
    }

    private void refreshQuietly() {
        try {
            log.refreshNow();
        } catch (IOException e) {
            // The scanner starts from what is known; its reads report the failure if it persists.
        }
    }

    private static long sequence(MessageId id) {
        if (id instanceof FileMessageId fileId) {
            return fileId.sequence();
        }
        throw new InvalidMessageIdException("message id " + id + " belongs to backend " + id.walName()
                + ", not " + FileMessageId.WAL_NAME);
    }

    /** Closes every scanner. Never throws. */
    void closeAll() {
        for (FileScanner scanner : List.copyOf(open)) {
            scanner.close();
        }
    }
}
