package io.wal4j.adaptor;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.utility.WriteAheadBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read half shared by the read-write and read-only WAL adaptors: creates scanners (allocating names
 * {@code <channel>/<term>/<seq>} when the option gives none), tracks the live ones, and closes them all.
 *
 * <p>Thread-safe. Scanner names are unique among the live scanners of one WAL.
 */
final class ReadSide {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSide.class);

    private final PChannelInfo channel;
    private final ReadOnlyWALImpls backend;
    private final WriteAheadBuffer<ImmutableMessage> buffer; // null: every scanner stays in catch-up
    private final Runnable onScannerStart;
    private final ScanModes modes = new ScanModes();
    private final Map<String, ScannerAdaptor> scanners = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final long txnBufferBytes;
    private final TxnBufferStats txnStats = new TxnBufferStats();

    /** A read side without a write-ahead buffer: scanners read the backend only (catch-up). */
    ReadSide(PChannelInfo channel, ReadOnlyWALImpls backend) {
        this(channel, backend, null, () -> { }, AdaptorConfig.TXN_BUFFER_BYTES.defaultValue());
    }

    /**
     * @param buffer         the write-ahead buffer scanners tail once they meet it, or null
     * @param onScannerStart run when a scanner opens (a read-write WAL requests a persisted time tick, so that the
     *                       scanner finds a recent one in the backend to meet the buffer with)
     * @param txnBufferBytes the bytes of open transactions each scanner may hold
     */
    ReadSide(PChannelInfo channel, ReadOnlyWALImpls backend, WriteAheadBuffer<ImmutableMessage> buffer,
             Runnable onScannerStart, long txnBufferBytes) {
        this.txnBufferBytes = txnBufferBytes;
        this.channel = channel;
        this.backend = backend;
        this.buffer = buffer;
        this.onScannerStart = onScannerStart;
    }

    /**
     * Opens a scanner; the caller holds the WAL's lifetime for the duration of the call.
     *
     * @throws NullPointerException     if {@code option} is null
     * @throws IllegalArgumentException if a live scanner of this WAL already has the option's name
     */
    Scanner read(ReadOption option) {
        Objects.requireNonNull(option, "option");
        String name = option.name().orElseGet(this::allocateName);
        if (scanners.containsKey(name)) {
            throw duplicate(name);
        }
        ScanPipeline pipeline = ScanPipeline.forOption(option, name, txnBufferBytes, txnStats);
        ScannerImpls upstream = new SwitchableSource(name, channel, backend, option.deliverPolicy(),
                option.readAhead(), buffer, modes, onScannerStart);
        onScannerStart.run();
        ScannerAdaptor[] self = new ScannerAdaptor[1];
        ScannerAdaptor scanner = new ScannerAdaptor(name, channel, upstream, pipeline,
                () -> scanners.remove(name, self[0]));
        self[0] = scanner;
        if (scanners.putIfAbsent(name, scanner) != null) {
            scanner.close();
            throw duplicate(name);
        }
        return scanner.start();
    }

    /** @return the scanners by mode */
    ScanModes modes() {
        return modes;
    }

    /** @return the read-side transaction counters of every scanner */
    TxnBufferStats txnStats() {
        return txnStats;
    }

    /** @return the number of live scanners */
    int activeScanners() {
        return scanners.size();
    }

    /** Closes every live scanner; each deregisters itself. */
    void closeAll() {
        List<ScannerAdaptor> live = new ArrayList<>(scanners.values());
        for (ScannerAdaptor scanner : live) {
            Threads.closeQuietly(scanner, LOG, "scanner " + scanner.name());
        }
    }

    private String allocateName() {
        while (true) {
            String name = channel.name() + "/" + channel.term() + "/" + sequence.getAndIncrement();
            if (!scanners.containsKey(name)) {
                return name;
            }
        }
    }

    private IllegalArgumentException duplicate(String name) {
        return new IllegalArgumentException("a scanner named \"" + name + "\" is already open on " + channel);
    }
}
