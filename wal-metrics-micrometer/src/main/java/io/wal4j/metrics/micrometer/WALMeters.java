package io.wal4j.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.TxnMetrics;
import io.wal4j.api.WALMetrics;
import io.wal4j.api.WALMetrics.Percentiles;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Registers the meters of one WAL on one registry; the names and the figure of {@link WALMetrics} behind each are
 * listed in this module's README.
 *
 * <p>Every meter is given the WAL itself as its state object, which Micrometer holds through a weak reference, and a
 * function that reads {@link ReadOnlyWAL#metrics()} from the WAL it is handed: no function captures the WAL, so the
 * registry never keeps a WAL reachable. Once a WAL has been collected its counters keep their last value and its
 * gauges report {@code NaN}. Stateless; the functions run on the thread that reads the registry.
 */
final class WALMeters {

    static final String APPENDS = "wal4j.appends";
    static final String APPEND_BYTES = "wal4j.append.bytes";
    static final String APPEND_FAILURES = "wal4j.append.failures";
    static final String APPEND_RETRIES = "wal4j.append.retries";
    static final String BACKEND_TIME = "wal4j.append.backend.time";
    static final String INTERCEPTOR_TIME = "wal4j.append.interceptor.time";
    static final String LATENCY_COUNT = "wal4j.append.latency.count";
    static final String LATENCY_PERCENTILE = "wal4j.append.latency.percentile";
    static final String LATENCY_MAX = "wal4j.append.latency.max";
    static final String SCANNERS_ACTIVE = "wal4j.scanners.active";
    static final String SCANNERS = "wal4j.scanners";
    static final String BUFFER_BYTES = "wal4j.buffer.bytes";
    static final String BUFFER_ENTRIES = "wal4j.buffer.entries";
    static final String TIME_TICK_LAG = "wal4j.timetick.lag";
    static final String TIME_TICK_SYNCS = "wal4j.timetick.syncs";
    static final String TXN_OPEN = "wal4j.txn.open";
    static final String TXN_HELD_BYTES = "wal4j.txn.held.bytes";
    static final String TXN_ENDED = "wal4j.txn.ended";
    static final String TXN_TOO_LARGE = "wal4j.txn.too.large";

    static final String TAG_WAL = "wal";
    static final String TAG_CHANNEL = "channel";
    static final String TAG_TERM = "term";
    static final String TAG_ACCESS = "access";
    static final String TAG_INTERCEPTOR = "interceptor";
    static final String TAG_STAGE = "stage";
    static final String TAG_PHI = "phi";
    static final String TAG_MODE = "mode";
    static final String TAG_PERSISTED = "persisted";
    static final String TAG_OUTCOME = "outcome";

    /** The tag keys this module sets; extra tags may not use them. */
    static final Set<String> RESERVED_TAG_KEYS = Set.of(TAG_WAL, TAG_CHANNEL, TAG_TERM, TAG_ACCESS, TAG_INTERCEPTOR, TAG_STAGE,
            TAG_PHI, TAG_MODE, TAG_PERSISTED, TAG_OUTCOME);

    private static final double NANOS_PER_SECOND = 1e9;

    private WALMeters() {
    }

    /**
     * @return the tags that identify {@code wal}'s meters: backend name, channel name, term and access mode
     *     ({@code rw}/{@code ro}), then {@code extra}
     */
    static Tags tagsOf(ReadOnlyWAL wal, Tags extra) {
        return Tags.of(TAG_WAL, wal.walName(), TAG_CHANNEL, wal.channel().name(),
                TAG_TERM, Long.toString(wal.channel().term()), TAG_ACCESS, wal.channel().accessMode().shortName())
                .and(extra);
    }

    /**
     * @return whether {@code registry} already holds the meters of a WAL with exactly these identifying tags (another
     *     WAL of the same backend, channel, term and access mode)
     */
    static boolean taken(MeterRegistry registry, Tags tags) {
        Set<Tag> wanted = new HashSet<>();
        tags.forEach(wanted::add);
        return registry.find(APPENDS).tags(tags).meters().stream()
                .anyMatch(m -> new HashSet<>(m.getId().getTags()).equals(wanted));
    }

    /**
     * Registers every meter of {@code wal} on {@code registry}.
     *
     * @return the meters registered (or found already registered under the same name and tags)
     */
    static List<Meter> register(MeterRegistry registry, ReadOnlyWAL wal, Tags extra) {
        Tags tags = tagsOf(wal, extra);
        List<Meter> meters = new ArrayList<>();
        registerCounters(registry, wal, tags, meters);
        registerLatencies(registry, wal, tags, meters);
        registerGauges(registry, wal, tags, meters);
        registerTxns(registry, wal, tags, meters);
        return meters;
    }

    private static void registerCounters(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, List<Meter> meters) {
        meters.add(counter(registry, wal, tags, APPENDS, null, "appends acknowledged", WALMetrics::appends));
        meters.add(counter(registry, wal, tags, APPEND_BYTES, "bytes", "estimated bytes of acknowledged appends",
                WALMetrics::appendBytes));
        meters.add(counter(registry, wal, tags, APPEND_FAILURES, null, "appends that failed",
                WALMetrics::appendFailures));
        meters.add(counter(registry, wal, tags, APPEND_RETRIES, null,
                "backend appends retried after a transient failure", WALMetrics::appendRetries));
        meters.add(seconds(registry, wal, tags, BACKEND_TIME,
                "total time spent in the backend's append, every attempt included", WALMetrics::backendAppendNanos));
        for (String interceptor : wal.metrics().interceptorNanos().keySet()) {
            meters.add(seconds(registry, wal, tags.and(TAG_INTERCEPTOR, interceptor), INTERCEPTOR_TIME,
                    "total time spent in the interceptor's own code",
                    m -> m.interceptorNanos().getOrDefault(interceptor, 0L)));
        }
        meters.add(counter(registry, wal, tags.and(TAG_PERSISTED, "true"), TIME_TICK_SYNCS, null,
                "time-tick syncs; persisted=true: written to the backend", m -> m.details().persistedSyncs()));
        meters.add(counter(registry, wal, tags.and(TAG_PERSISTED, "false"), TIME_TICK_SYNCS, null,
                "time-tick syncs; persisted=false: delivered to readers without being written",
                m -> m.details().notPersistedSyncs()));
    }

    private static void registerLatencies(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, List<Meter> meters) {
        registerLatency(registry, wal, tags.and(TAG_STAGE, "interceptor"), m -> m.details().interceptorLatency(),
                meters);
        registerLatency(registry, wal, tags.and(TAG_STAGE, "backend"), m -> m.details().backendLatency(), meters);
    }

    private static void registerLatency(MeterRegistry registry, ReadOnlyWAL wal, Tags tags,
                                        Function<WALMetrics, Percentiles> part,
                                        List<Meter> meters) {
        meters.add(counter(registry, wal, tags, LATENCY_COUNT, null, "append latencies recorded",
                m -> part.apply(m).count()));
        meters.add(nanosGauge(registry, wal, tags.and(TAG_PHI, "0.5"), LATENCY_PERCENTILE, "median append latency",
                m -> part.apply(m).p50Nanos()));
        meters.add(nanosGauge(registry, wal, tags.and(TAG_PHI, "0.99"), LATENCY_PERCENTILE,
                "99th percentile of append latency", m -> part.apply(m).p99Nanos()));
        meters.add(nanosGauge(registry, wal, tags, LATENCY_MAX, "largest append latency recorded",
                m -> part.apply(m).maxNanos()));
    }

    private static void registerGauges(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, List<Meter> meters) {
        meters.add(gauge(registry, wal, tags, SCANNERS_ACTIVE, null, "scanners currently open",
                WALMetrics::activeScanners));
        meters.add(gauge(registry, wal, tags.and(TAG_MODE, "catch-up"), SCANNERS, null,
                "open scanners by mode; catch-up: reading the backend", m -> m.details().catchUpScanners()));
        meters.add(gauge(registry, wal, tags.and(TAG_MODE, "tailing"), SCANNERS, null,
                "open scanners by mode; tailing: reading the write-ahead buffer", m -> m.details().tailingScanners()));
        meters.add(gauge(registry, wal, tags, BUFFER_BYTES, "bytes", "estimated bytes held by the write-ahead buffer",
                m -> m.details().bufferBytes()));
        meters.add(gauge(registry, wal, tags, BUFFER_ENTRIES, null, "entries held by the write-ahead buffer",
                m -> m.details().bufferEntries()));
        meters.add(TimeGauge.builder(TIME_TICK_LAG, wal, TimeUnit.MILLISECONDS,
                        read(m -> m.details().timeTickLagMillis()))
                .tags(tags).description("how far the last published time tick trails the wall clock")
                .register(registry));
    }

    private static void registerTxns(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, List<Meter> meters) {
        meters.add(Gauge.builder(TXN_OPEN, wal, txn(TxnMetrics::open)).tags(tags)
                .description("transactions open on the writer").register(registry));
        meters.add(Gauge.builder(TXN_HELD_BYTES, wal, txn(TxnMetrics::heldBytes)).tags(tags).baseUnit("bytes")
                .description("estimated bytes of open transactions held by scanners waiting for their commits")
                .register(registry));
        meters.add(txnCounter(registry, wal, tags.and(TAG_OUTCOME, "committed"),
                "transactions delivered whole to scanners, once per scanner", TxnMetrics::committed));
        meters.add(txnCounter(registry, wal, tags.and(TAG_OUTCOME, "rolled-back"),
                "rolled-back transactions the scanners dropped", TxnMetrics::rolledBack));
        meters.add(txnCounter(registry, wal, tags.and(TAG_OUTCOME, "expired"),
                "expired or abandoned transactions the scanners dropped", TxnMetrics::expired));
        meters.add(FunctionCounter.builder(TXN_TOO_LARGE, wal, txn(TxnMetrics::tooLarge)).tags(tags)
                .description("scanners failed because the transactions they held exceeded their limit")
                .register(registry));
    }

    private static FunctionCounter txnCounter(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, String description,
                                              ToLongFunction<TxnMetrics> figure) {
        return FunctionCounter.builder(TXN_ENDED, wal, txn(figure)).tags(tags).description(description)
                .register(registry);
    }

    /** @return a function of the WAL it is given reading one figure of its transaction snapshot */
    private static ToDoubleFunction<ReadOnlyWAL> txn(ToLongFunction<TxnMetrics> figure) {
        return w -> figure.applyAsLong(w.txnMetrics());
    }

    private static FunctionCounter counter(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, String name,
                                           String baseUnit, String description, ToLongFunction<WALMetrics> figure) {
        return FunctionCounter.builder(name, wal, read(figure)).tags(tags).baseUnit(baseUnit)
                .description(description).register(registry);
    }

    private static FunctionCounter seconds(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, String name,
                                           String description, ToLongFunction<WALMetrics> nanos) {
        ToDoubleFunction<ReadOnlyWAL> inSeconds = w -> nanos.applyAsLong(w.metrics()) / NANOS_PER_SECOND;
        return FunctionCounter.builder(name, wal, inSeconds).tags(tags).baseUnit("seconds")
                .description(description).register(registry);
    }

    private static Gauge gauge(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, String name, String baseUnit,
                               String description, ToLongFunction<WALMetrics> figure) {
        return Gauge.builder(name, wal, read(figure)).tags(tags).baseUnit(baseUnit).description(description)
                .register(registry);
    }

    private static TimeGauge nanosGauge(MeterRegistry registry, ReadOnlyWAL wal, Tags tags, String name,
                                        String description, ToLongFunction<WALMetrics> nanos) {
        return TimeGauge.builder(name, wal, TimeUnit.NANOSECONDS, read(nanos)).tags(tags).description(description)
                .register(registry);
    }

    /** @return a function of the WAL it is given (never of a captured one) reading one figure of its snapshot */
    private static ToDoubleFunction<ReadOnlyWAL> read(ToLongFunction<WALMetrics> figure) {
        return w -> figure.applyAsLong(w.metrics());
    }
}
