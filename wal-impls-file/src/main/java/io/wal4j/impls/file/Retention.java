package io.wal4j.impls.file;

import java.time.Duration;
import java.util.List;

/**
 * Which old segments retention deletes: the oldest sealed segments while the log holds more than
 * {@code retention-bytes}, and those sealed longer than {@code retention-age} ago (a segment counts as sealed when
 * the next one was created). Either limit is off at 0, and both are off by default: a WAL keeps everything until it
 * is truncated. The active segment is never deleted, so retention may keep more than the limits. Immutable.
 */
final class Retention {

    private final long maxBytes;
    private final long maxAgeMillis;

    Retention(long maxBytes, Duration maxAge) {
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAge.toMillis();
    }

    /** @return whether any limit is set */
    boolean isEnabled() {
        return maxBytes > 0 || maxAgeMillis > 0;
    }

    /**
     * @param segments  the log's segments, oldest first; the last one is the active segment
     * @param nowMillis the writer's clock
     * @return how many of the oldest segments to delete
     */
    int segmentsToDrop(List<Segment> segments, long nowMillis) {
        long total = 0;
        for (Segment s : segments) {
            total += s.end();
        }
        int drop = 0;
        while (drop < segments.size() - 1) {
            Segment oldest = segments.get(drop);
            long sealedAt = segments.get(drop + 1).createdMillis();
            boolean overBytes = maxBytes > 0 && total > maxBytes;
            boolean tooOld = maxAgeMillis > 0 && nowMillis - sealedAt >= maxAgeMillis;
            if (!oldest.isSealed() || !(overBytes || tooOld)) {
                break;
            }
            total -= oldest.end();
            drop++;
        }
        return drop;
    }
}
