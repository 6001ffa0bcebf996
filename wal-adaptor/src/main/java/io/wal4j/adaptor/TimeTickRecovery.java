package io.wal4j.adaptor;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.ReservedProperties;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds the largest time tick a channel's log holds, so a new writer's ticks start above it even if the wall clock
 * stepped back since (DESIGN §6.3: ticks never go backwards across a reopen).
 *
 * <p>How, and why this way: the backend's {@link ReadOnlyWALImpls#readLast()} gives the last message {@code m} (one
 * SPI method with a scanning default, overridden by backends that know their tail). {@code m} alone is not enough —
 * concurrent appends are stored out of tick order, so an earlier message may carry a larger tick — but the
 * last-confirmed invariant bounds the search: every message with a tick at or above {@code m}'s is stored at or after
 * {@code m.lastConfirmedId()}, so scanning from there to the end finds the maximum. That is the short tail since the
 * last confirmation, not the whole log. Stateless.
 */
final class TimeTickRecovery {

    private TimeTickRecovery() {
    }

    /**
     * @return the largest time tick in the log, or empty if the log holds no message with a time tick
     * @throws RuntimeException what the backend threw while reading
     */
    static OptionalLong lastTimeTick(ReadOnlyWALImpls backend) {
        Optional<ImmutableMessage> found = backend.readLast();
        if (found.isEmpty() || !found.get().hasTimeTick()) {
            return OptionalLong.empty();
        }
        ImmutableMessage last = found.get();
        long max = last.timeTick();
        boolean hasResumePoint = last.property(ReservedProperties.LAST_CONFIRMED) != null
                || last.property(ReservedProperties.LAST_CONFIRMED_SELF) != null;
        if (!hasResumePoint) {
            return OptionalLong.of(max);
        }
        MessageId from = last.lastConfirmedId();
        try (ScannerImpls scanner = backend.read(new ReadOptionImpls("wal4j-recover-time-tick",
                DeliverPolicy.startFrom(from), 128))) {
            for (ImmutableMessage m = scanner.poll(Duration.ZERO); m != null; m = scanner.poll(Duration.ZERO)) {
                if (m.hasTimeTick()) {
                    max = Math.max(max, m.timeTick());
                }
            }
        }
        return OptionalLong.of(max);
    }
}
