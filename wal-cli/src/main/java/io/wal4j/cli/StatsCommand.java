package io.wal4j.cli;

import io.wal4j.api.OpenOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.impls.file.FileLogInspector;
import io.wal4j.impls.file.FileLogInspector.Inspection;
import io.wal4j.impls.file.FileLogInspector.Segment;
import io.wal4j.impls.file.FileWAL;
import io.wal4j.impls.file.RecoveryReport;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wal stats}: what a file channel holds (segments, bytes, records by type, id and time-tick ranges, term) and
 * what recovery finds, either predicted read-only or, with {@code --recover}, by running it. Instantiated by picocli
 * once per invocation; not thread-safe.
 */
@Command(name = "stats",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Shows a file channel's segments, bytes, id and time-tick ranges, and its recovery.",
        description = {
            "%nReads the channel (read-only, no lock) and prints its term, its segments (how many sealed), bytes, "
                    + "records by type, the range of ids and of time ticks, the creation time of the first and last "
                    + "segment, and what the next recovery will do: nothing, cut a torn tail, or stop at corruption.",
            "Recovery reports are not stored: a report exists only in the process that opened the channel. With "
                    + "--recover, stats opens the channel for writing at --term (taking its lock, so no other "
                    + "writer may be running), which runs the recovery (a torn tail is cut, as any writer would), "
                    + "and prints that recovery's report.",
            "Exit status: 0 done, 1 the channel cannot be read or recovery failed (corruption), 2 bad options."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wal stats --dir /tmp/wal --channel orders",
            "  wal stats --dir /tmp/wal --channel orders --recover --term 3%n"})
final class StatsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions storeOptions;

    @Option(names = "--recover", description = "open the channel for writing and print the recovery report")
    private boolean recover;

    @Override
    public Integer call() {
        Store store = Failures.store(spec, storeOptions);
        if (!store.isFile()) {
            throw Failures.usage(spec, "wal stats reads the segments of the file backend; backend " + store.backend()
                    + " keeps none");
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            store.requireChannel();
            if (recover) {
                printRecovery(out, store);
            }
            Tally tally = new Tally();
            Inspection inspection = FileLogInspector.inspect(store.channelDir(), tally);
            print(out, store, inspection, tally);
        } catch (IOException e) {
            return Failures.report(spec, new UncheckedIOException("cannot read " + store.channelDir() + ": " + e, e));
        } catch (RuntimeException e) {
            return Failures.report(spec, e);
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, Store store, Inspection inspection, Tally tally) {
        long sealed = inspection.segments().stream().filter(Segment::sealed).count();
        out.println("channel:     " + store.channel() + " in " + store.dir().orElseThrow());
        out.println("term:        " + (inspection.term().isPresent() ? inspection.term().getAsLong() : "none yet"));
        out.println("segments:    " + inspection.segments().size() + " (" + sealed + " sealed), "
                + inspection.bytes() + " bytes");
        out.println("records:     " + inspection.records() + (tally.types.isEmpty() ? "" : " " + tally.types));
        out.println("ids:         " + (tally.first == null ? "-" : tally.first + " .. " + tally.last));
        out.println("time ticks:  " + (tally.minTick == Long.MAX_VALUE ? "-" : tally.minTick + " .. " + tally.maxTick));
        if (!inspection.segments().isEmpty()) {
            out.println("created:     first segment " + created(inspection.segments().get(0)) + ", last segment "
                    + created(inspection.segments().get(inspection.segments().size() - 1)));
        }
        String next;
        if (!inspection.corruptions().isEmpty()) {
            next = "FAILS at corruption: " + inspection.corruptions().get(0)
                    + " (run 'wal verify'; wal.file.corruption-policy=TRUNCATE_AND_QUARANTINE keeps what precedes it)";
        } else if (inspection.tornTail().isPresent()) {
            next = "cuts the torn tail: " + inspection.tornTail().get();
        } else {
            next = "clean (nothing to cut)";
        }
        out.println("next recovery: " + next);
    }

    private static String created(Segment segment) {
        return segment.createdMillis() < 0 ? "unknown (bad header)" : Instant.ofEpochMilli(segment.createdMillis())
                .toString();
    }

    private void printRecovery(PrintWriter out, Store store) {
        try (OpenerImpls opener = store.impls().build(store.config());
             WALImpls wal = opener.open(OpenOption.readWrite(store.channel(), store.term()))) {
            if (!(wal instanceof FileWAL file)) {
                throw new IllegalStateException("backend file returned " + wal.getClass().getName());
            }
            RecoveryReport report = file.recoveryReport();
            out.println("recovery (just run, at term " + store.term() + "): " + (report.isClean() ? "clean"
                    : "dropped " + report.bytesDropped() + " bytes, " + report.recordsDropped() + " records"));
            out.println("  trusted from footer: " + report.trustedSegments().size() + " segments; scanned: "
                    + report.scannedSegments() + ", " + report.recordsScanned() + " records");
            for (RecoveryReport.Drop drop : report.drops()) {
                out.println("  dropped " + drop.bytes() + " bytes of " + drop.file() + " at position " + drop.position()
                        + ": " + drop.reason() + drop.quarantinedTo().map(q -> " (copied to " + q + ")").orElse(""));
            }
        }
    }

    /** Counts records by type and the id and time-tick ranges. */
    private static final class Tally implements FileLogInspector.Listener {
        private final Map<String, Long> types = new TreeMap<>();
        private MessageId first;
        private MessageId last;
        private long minTick = Long.MAX_VALUE;
        private long maxTick = Long.MIN_VALUE;

        @Override
        public void record(String file, long position, int frameBytes, ImmutableMessage message) {
            if (first == null) {
                first = message.id();
            }
            last = message.id();
            types.merge(message.messageType().name(), 1L, Long::sum);
            if (message.hasTimeTick()) {
                minTick = Math.min(minTick, message.timeTick());
                maxTick = Math.max(maxTick, message.timeTick());
            }
        }
    }
}
