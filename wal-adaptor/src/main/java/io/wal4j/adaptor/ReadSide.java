package io.wal4j.adaptor;

import io.wal4j.api.PChannelInfo;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
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
    private final Map<String, ScannerAdaptor> scanners = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    ReadSide(PChannelInfo channel, ReadOnlyWALImpls backend) {
        this.channel = channel;
        this.backend = backend;
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
        ScanPipeline pipeline = ScanPipeline.forOption(option);
        ScannerImpls upstream = Objects.requireNonNull(
                backend.read(new ReadOptionImpls(name, option.deliverPolicy(), option.readAhead())),
                "backend read() returned null");
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
