package io.wal4j.utility;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
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
 * <p><b>Fast path.</b> Items usually arrive already in order (ticks and ids both growing). While they do, they are
 * kept in a plain ring in arrival order, which is also their release order, and a duplicate is impossible (each new id
 * is above every held one): no tree node, key or id-set entry per item. The first item that does not extend the run
 * moves the held items into the sorted map and id set, which serve until they are empty again.
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

    // Ordered by (tick, id); the id set lets a duplicate be found without knowing its tick. Empty while the run holds
    // items: at any time either the run or the map is empty.
    private final TreeMap<Key<K>, T> items = new TreeMap<>();
    private final TreeSet<K> ids = new TreeSet<>();
    // The run: items in arrival order, strictly increasing by (tick, id) and by id; a ring indexed by runHead.
    private Object[] runItems = new Object[0];
    private long[] runTicks = new long[0];
    private long[] runSizes = new long[0];
    private int runHead;
    private int runSize;
    private K runLastId; // the id of the newest run item; meaningful while runSize > 0
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
        if (items.isEmpty() && extendsRun(tick, id)) {
            long size = sizeOf(item, id);
            appendToRun(item, tick, id, size);
            bytes += size;
            return true;
        }
        if (runSize > 0) {
            spillRun();
        }
        if (ids.contains(id)) {
            duplicates++;
            return false;
        }
        long size = sizeOf(item, id);
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
        List<T> out = new ArrayList<>();
        popUpTo(tick, out::add);
        return out;
    }

    /**
     * Like {@link #popUpTo(long)}, but hands the released items to {@code sink} in order instead of collecting them.
     * The buffer is consistent while {@code sink} runs, but {@code sink} must not call back into it.
     *
     * @param tick the watermark: no item with a tick at or below it can arrive any more
     * @param sink receives each released item, ordered by tick then id
     * @return how many items were released
     * @throws NullPointerException if {@code sink} is null
     */
    public int popUpTo(long tick, Consumer<? super T> sink) {
        Objects.requireNonNull(sink, "sink");
        if (!popped || tick > watermark) {
            watermark = tick;
            popped = true;
        }
        if (runSize > 0) {
            return popRun(tick, sink);
        }
        if (items.isEmpty()) {
            return 0;
        }
        Map<Key<K>, T> released = items.headMap(Key.upperBound(tick), false);
        List<T> out = new ArrayList<>(released.size());
        for (Map.Entry<Key<K>, T> e : released.entrySet()) {
            out.add(e.getValue());
            ids.remove(e.getKey().id);
            bytes -= e.getKey().size;
        }
        released.clear();
        out.forEach(sink);
        return out.size();
    }

    /** @return the number of buffered items */
    public int size() {
        return items.size() + runSize;
    }

    /** @return whether no item is buffered */
    public boolean isEmpty() {
        return items.isEmpty() && runSize == 0;
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
        return "ReorderBuffer{size=" + size() + ", bytes=" + bytes + ", watermark="
                + (popped ? Long.toString(watermark) : "none") + ", duplicates=" + duplicates + ", late=" + late + "}";
    }

    // ---- the run ----

    /** @return whether an item may join the run: the run is empty, or the item follows its newest by id and tick */
    private boolean extendsRun(long tick, K id) {
        if (runSize == 0) {
            return true;
        }
        int last = (runHead + runSize - 1) & (runItems.length - 1);
        return id.compareTo(runLastId) > 0 && tick >= runTicks[last];
    }

    private void appendToRun(T item, long tick, K id, long size) {
        if (runSize == runItems.length) {
            growRun();
        }
        int slot = (runHead + runSize) & (runItems.length - 1);
        runItems[slot] = item;
        runTicks[slot] = tick;
        runSizes[slot] = size;
        runSize++;
        runLastId = id;
    }

    private void growRun() {
        int length = Math.max(8, runItems.length * 2);
        Object[] newItems = new Object[length];
        long[] newTicks = new long[length];
        long[] newSizes = new long[length];
        for (int i = 0; i < runSize; i++) {
            int from = (runHead + i) & (runItems.length - 1);
            newItems[i] = runItems[from];
            newTicks[i] = runTicks[from];
            newSizes[i] = runSizes[from];
        }
        runItems = newItems;
        runTicks = newTicks;
        runSizes = newSizes;
        runHead = 0;
    }

    @SuppressWarnings("unchecked")
    private int popRun(long tick, Consumer<? super T> sink) {
        int released = 0;
        while (runSize > 0 && runTicks[runHead] <= tick) {
            T item = (T) runItems[runHead];
            runItems[runHead] = null;
            bytes -= runSizes[runHead];
            runHead = (runHead + 1) & (runItems.length - 1);
            runSize--;
            released++;
            sink.accept(item);
        }
        if (runSize == 0) {
            runHead = 0;
            runLastId = null;
        }
        return released;
    }

    /** Moves the run into the sorted map and id set: an item arrived out of order, or may be a duplicate. */
    @SuppressWarnings("unchecked")
    private void spillRun() {
        for (int i = 0; i < runSize; i++) {
            int slot = (runHead + i) & (runItems.length - 1);
            T item = (T) runItems[slot];
            K id = idOf.apply(item);
            items.put(new Key<>(runTicks[slot], id, runSizes[slot]), item);
            ids.add(id);
            runItems[slot] = null;
        }
        runHead = 0;
        runSize = 0;
        runLastId = null;
    }

    private long sizeOf(T item, K id) {
        long size = sizeOf.applyAsLong(item);
        if (size < 0) {
            throw new IllegalArgumentException("size of item " + id + " is negative: " + size);
        }
        return size;
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
