package io.wal4j.metrics.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.wal4j.api.ReadOnlyWAL;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the {@link ReadOnlyWAL#metrics()} and {@link ReadOnlyWAL#txnMetrics()} of one or more WALs (read-write or
 * read-only, of any backend) to
 * Micrometer registries: counters as {@code FunctionCounter}s, current values as {@code Gauge}s, latencies and the
 * time-tick lag as {@code TimeGauge}s, each tagged {@code wal} (the backend's name), {@code channel}, {@code term} and
 * {@code access} ({@code rw} or {@code ro}), plus the extra tags given at creation. The module's README lists every
 * meter.
 *
 * <pre>{@code
 * WAL wal = opener.open(OpenOption.readWrite("orders", 1));
 * WALMetricsBinder.create(wal).bindTo(meterRegistry);
 * }</pre>
 *
 * <p><b>Lifetime.</b> Neither the binder nor the registry keeps a WAL reachable: both hold it through a weak
 * reference. A WAL's meters are removed from every registry it was bound to once the WAL becomes unavailable (its
 * {@link ReadOnlyWAL#available()} future completes: closed, or fenced), or when the binder is {@linkplain #close()
 * closed}. A WAL already unavailable at {@link #bindTo} gets no meters. Meters are read on the thread that reads the
 * registry; each read takes a fresh snapshot ({@link ReadOnlyWAL#metrics()}, {@link ReadOnlyWAL#txnMetrics()}), which
 * is cheap and never blocks.
 *
 * <p>Meters are told apart by their tags, so two WALs with the same backend, channel, term and access mode (two
 * readers of one channel) need distinguishing extra tags to be published in one registry; {@link #bindTo} refuses
 * them otherwise.
 *
 * <p>Thread-safe: {@link #bindTo} and {@link #close()} may be called from any thread, concurrently with the WALs
 * closing.
 */
public final class WALMetricsBinder implements MeterBinder, AutoCloseable {

    private final List<WeakReference<ReadOnlyWAL>> wals;
    private final Tags extraTags;
    private final Set<Binding> bindings = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private WALMetricsBinder(List<WeakReference<ReadOnlyWAL>> wals, Tags extraTags) {
        this.wals = wals;
        this.extraTags = extraTags;
    }

    /**
     * Creates a binder of the given WALs, without extra tags. Registers nothing yet.
     *
     * @param wals the WALs to publish
     * @return the binder
     * @throws NullPointerException naming the argument if {@code wals} or one of its elements is null
     */
    public static WALMetricsBinder create(ReadOnlyWAL... wals) {
        Objects.requireNonNull(wals, "wals");
        return create(Arrays.asList(wals), Tags.empty());
    }

    /**
     * Creates a binder of the given WALs whose meters carry {@code extraTags} as well (to tell two readers of one
     * channel apart, say). Registers nothing yet.
     *
     * @param wals      the WALs to publish
     * @param extraTags tags added to every meter (an application or instance name, say); they must not use the keys
     *                  this binder sets ({@code wal}, {@code channel}, {@code term}, {@code access}, and per meter {@code interceptor},
     *                  {@code stage}, {@code phi}, {@code mode}, {@code persisted}, {@code outcome}) — a clash is refused
     * @return the binder
     * @throws NullPointerException     naming the argument if {@code wals}, one of its elements or {@code extraTags}
     *                                  is null
     * @throws IllegalArgumentException quoting the key if an extra tag uses one of the keys this binder sets
     */
    public static WALMetricsBinder create(Collection<? extends ReadOnlyWAL> wals, Iterable<Tag> extraTags) {
        Objects.requireNonNull(wals, "wals");
        Objects.requireNonNull(extraTags, "extraTags");
        List<WeakReference<ReadOnlyWAL>> refs = new ArrayList<>(wals.size());
        int i = 0;
        for (ReadOnlyWAL wal : wals) {
            refs.add(new WeakReference<>(Objects.requireNonNull(wal, "wals[" + i + "]")));
            i++;
        }
        Tags tags = Tags.of(extraTags);
        for (Tag tag : tags) {
            if (WALMeters.RESERVED_TAG_KEYS.contains(tag.getKey())) {
                throw new IllegalArgumentException("extra tag \"" + tag.getKey() + "\" clashes with a tag the binder "
                        + "sets; reserved: " + WALMeters.RESERVED_TAG_KEYS);
            }
        }
        return new WALMetricsBinder(List.copyOf(refs), tags);
    }

    /**
     * Registers the meters of every WAL of this binder that is still reachable and available. Binding again to a
     * registry this binder already bound is harmless: WALs already published there are skipped. Does nothing once
     * the binder is closed.
     *
     * @param registry the registry
     * @throws NullPointerException     if {@code registry} is null
     * @throws IllegalArgumentException naming the channel if two WALs to publish, or one of them and a WAL the
     *                                  registry already publishes through another binder, have the same backend,
     *                                  channel, term, access mode and extra tags (two readers of one channel, say):
     *                                  their meters could not be told apart. Nothing is registered then; give each
     *                                  its own binder with distinguishing extra tags
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        List<ReadOnlyWAL> fresh = new ArrayList<>();
        Set<Tags> identities = new HashSet<>();
        for (WeakReference<ReadOnlyWAL> ref : wals) {
            ReadOnlyWAL wal = ref.get();
            if (wal != null && wal.isAvailable() && !isBound(registry, wal)) {
                Tags identity = WALMeters.tagsOf(wal, extraTags);
                if (!identities.add(identity) || WALMeters.taken(registry, identity)) {
                    throw new IllegalArgumentException("another WAL tagged " + identity + " is already published "
                            + "in this registry or bound by this binder (" + wal.walName() + " " + wal.channel()
                            + "); bind each with distinguishing extra tags");
                }
                fresh.add(wal);
            }
        }
        for (ReadOnlyWAL wal : fresh) {
            if (closed) {
                return;
            }
            Binding binding = new Binding(registry, wal, WALMeters.register(registry, wal, extraTags));
            bindings.add(binding);
            // Registered after the meters, so a WAL that became unavailable meanwhile has them removed at once.
            wal.available().whenComplete((ignored, failure) -> binding.remove());
            if (closed) {
                binding.remove(); // close() ran between the check above and the add: it may have missed this one
            }
        }
    }

    private boolean isBound(MeterRegistry registry, ReadOnlyWAL wal) {
        for (Binding binding : bindings) {
            if (binding.registry == registry && binding.wal.get() == wal) {
                return true;
            }
        }
        return false;
    }

    /** @return how many WALs of this binder are still reachable (not yet garbage-collected) */
    public int reachableWALs() {
        int n = 0;
        for (WeakReference<ReadOnlyWAL> ref : wals) {
            if (ref.get() != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Removes every meter this binder registered, from every registry, and stops binding. The WALs are not touched.
     * Idempotent; never throws.
     */
    @Override
    public void close() {
        closed = true;
        for (Binding binding : bindings) {
            binding.remove();
        }
    }

    @Override
    public String toString() {
        return "WALMetricsBinder{wals=" + wals.size() + ", reachable=" + reachableWALs() + ", bindings="
                + bindings.size() + ", closed=" + closed + "}";
    }

    /** The meters of one WAL on one registry; removed at most once. */
    private final class Binding {
        private final MeterRegistry registry;
        private final WeakReference<ReadOnlyWAL> wal;
        private final List<Meter> meters;
        private final AtomicBoolean removed = new AtomicBoolean();

        Binding(MeterRegistry registry, ReadOnlyWAL wal, List<Meter> meters) {
            this.registry = registry;
            this.wal = new WeakReference<>(wal);
            this.meters = meters;
        }

        void remove() {
            if (removed.compareAndSet(false, true)) {
                for (Meter meter : meters) {
                    registry.remove(meter);
                }
                bindings.remove(this);
            }
        }
    }
}
