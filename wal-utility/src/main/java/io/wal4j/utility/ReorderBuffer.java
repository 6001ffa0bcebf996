package io.wal4j.utility;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Holds items that arrive out of order and releases them in order of a {@code long} key (a time tick) once a
 * watermark guarantees that nothing smaller can still arrive: the scanner's reorder buffer of Milvus reference §3.5.
 * The log delivers messages in id order, concurrent appends can persist them out of time-tick order, and a persisted
 * time tick {@code T} promises that every message with a smaller tick is already in the log, so
 * {@link #popUpTo(long) popUpTo(T)} can release them sorted.
 *
 * <p>Items with the same tick are released in id order. An id is the item's identity: pushing an item whose id is
 * already buffered is a duplicate (the two streams of a scanner, catch-up and tailing, overlap after a fallback) and
 * is ignored. Items whose tick is not above the highest watermark popped so far are late: releasing them now would
 * break the order the consumer has already seen, so they are ignored too. Both kinds are counted.
 *
 * <p>Not thread-safe: owned by one scanner's consumer loop. The key, id and size functions run on the caller's thread.
 *
 * @param <T> the item type
 * @param <K> the id type; ids are compared with {@link Comparable#compareTo}, which must be consistent with identity
 */
public final class ReorderBuffer<T, K extends Comparable<? super K>> {

    private final ToLongFunction<? super T> tickOf;
    private final Function<? super T, ? extends K> idOf;
    private final ToLongFunction<? super T> sizeOf;

    // Ordered by (tick, id); the id set lets a duplicate be found without knowing its tick.
    private final TreeMap<Key<K>, T> items = new TreeMap<>();
    private final TreeSet<K> ids = new TreeSet<>();
    private long bytes;
    private boolean popped;
    private long watermark = Long.MIN_VALUE;
    private long duplicates;
    private long late;

    /**
     * Creates a buffer that does not track bytes ({@link #bytes()} stays 0).
     *
     * @param tickOf the ordering key of an item
     * @param idOf   the identity of an item; never null
     * @throws NullPointerException if an argument is null
     */
    public ReorderBuffer(ToLongFunction<? super T> tickOf, Function<? super T, ? extends K> idOf) {
        this(tickOf, idOf, item -> 0L);
    }

    /**
     * Creates an empty buffer.
     *
     * @param tickOf the ordering key of an item
     * @param idOf   the identity of an item; never null
     * @param sizeOf the estimated size of an item in bytes; must not be negative
     * @throws NullPointerException if an argument is null
     */
    public ReorderBuffer(ToLongFunction<? super T> tickOf, Function<? super T, ? extends K> idOf,
                         ToLongFunction<? super T> sizeOf) {
        this.tickOf = Objects.requireNonNull(tickOf, "tickOf");
        this.idOf = Objects.requireNonNull(idOf, "idOf");
        this.sizeOf = Objects.requireNonNull(sizeOf, "sizeOf");
    }

    /**
     * Buffers an item unless it is a duplicate or late.
     *
     * @param item the item
     * @return true if buffered; false if an item with the same id is buffered or the item's tick is at or below the
     *         highest tick passed to {@link #popUpTo(long)}
     * @throws NullPointerException     if {@code item} or its id is null
     * @throws IllegalArgumentException if the size function returns a negative size
     */
    public boolean push(T item) {
        Objects.requireNonNull(item, "item");
        long tick = tickOf.applyAsLong(item);
        K id = Objects.requireNonNull(idOf.apply(item), "id of item");
        if (popped && tick <= watermark) {
            late++;
            return false;
        }
        if (ids.contains(id)) {
            duplicates++;
            return false;
        }
        long size = sizeOf.applyAsLong(item);
        if (size < 0) {
            throw new IllegalArgumentException("size of item " + id + " is negative: " + size);
        }
        items.put(new Key<>(tick, id, size), item);
        ids.add(id);
        bytes += size;
        return true;
    }

    /**
     * Removes and returns every buffered item whose tick is at most {@code tick}, ordered by tick then id, and raises
     * the watermark to {@code tick}. A {@code tick} below the current watermark releases nothing and leaves the
     * watermark where it is.
     *
     * @param tick the watermark: no item with a tick at or below it can arrive any more
     * @return the released items, possibly empty; a new mutable list owned by the caller
     */
    public List<T> popUpTo(long tick) {
        if (!popped || tick > watermark) {
            watermark = tick;
            popped = true;
        }
        Map<Key<K>, T> released = items.headMap(Key.upperBound(tick), false);
        List<T> out = new ArrayList<>(released.size());
        for (Map.Entry<Key<K>, T> e : released.entrySet()) {
            out.add(e.getValue());
            ids.remove(e.getKey().id);
            bytes -= e.getKey().size;
        }
        released.clear();
        return out;
    }

    /** @return the number of buffered items */
    public int size() {
        return items.size();
    }

    /** @return whether no item is buffered */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** @return the summed size of the buffered items (0 if no size function was given) */
    public long bytes() {
        return bytes;
    }

    /** @return the highest tick passed to {@link #popUpTo(long)}, or {@code Long.MIN_VALUE} before the first call */
    public long watermark() {
        return watermark;
    }

    /** @return how many pushes were ignored because their id was already buffered */
    public long duplicates() {
        return duplicates;
    }

    /** @return how many pushes were ignored because their tick was at or below the watermark */
    public long late() {
        return late;
    }

    @Override
    public String toString() {
        return "ReorderBuffer{size=" + items.size() + ", bytes=" + bytes + ", watermark="
                + (popped ? Long.toString(watermark) : "none") + ", duplicates=" + duplicates + ", late=" + late + "}";
    }

    /** The sort key; {@code id == null} marks the bound above every real key of a tick. */
    private static final class Key<K extends Comparable<? super K>> implements Comparable<Key<K>> {

        private static final Comparator<Comparable<Object>> ID_ORDER = Comparator.nullsLast(Comparator.naturalOrder());

        final long tick;
        final K id;
        final long size;

        Key(long tick, K id, long size) {
            this.tick = tick;
            this.id = id;
            this.size = size;
        }

        static <K extends Comparable<? super K>> Key<K> upperBound(long tick) {
            return new Key<>(tick, null, 0);
        }

        @Override
        @SuppressWarnings("unchecked")
        public int compareTo(Key<K> other) {
            int byTick = Long.compare(tick, other.tick);
            return byTick != 0 ? byTick : ID_ORDER.compare((Comparable<Object>) id, (Comparable<Object>) other.id);
        }
    }
}
