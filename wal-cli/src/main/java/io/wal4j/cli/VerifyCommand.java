package io.wal4j.cli;

import io.wal4j.impls.file.FileLogInspector;
import io.wal4j.impls.file.FileLogInspector.Finding;
import io.wal4j.impls.file.FileLogInspector.Inspection;
import io.wal4j.impls.file.FileLogInspector.Segment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wal verify}: reads every segment of a file channel in full and checks it ({@link FileLogInspector}); exits
 * 1 naming the file and position of each corruption. Takes no lock and writes nothing. Instantiated by picocli once
 * per invocation; not thread-safe.
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Checks every segment of a file channel: headers, record checksums, seal footers.",
        description = {
            "%nReads every segment of the channel from the first byte to the last and checks its header, the "
                    + "checksum and encoding of every record, the seal footer of every sealed segment (record count, "
                    + "last id, checksum of all its records, nothing after it) and that each segment starts where "
                    + "the previous one ended. Opening a channel trusts sealed segments from their footer without "
                    + "reading them; this is the check that reads them.",
            "A torn last record (what a crash during an append leaves) is reported but is not corruption: opening "
                    + "the channel for writing cuts it. Works while a writer appends (no lock is taken, nothing is "
                    + "written). On a terminal it shows its progress on the error stream.",
            "Exit status: 0 no corruption, 1 corruption found (each printed with its file and byte position) or "
                    + "the channel cannot be read, 2 bad options."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wal verify --dir /tmp/wal --channel orders",
            "  wal verify --dir /tmp/wal --channel orders --verbose --no-progress%n"})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions storeOptions;

    @Option(names = {"-v", "--verbose"}, description = "print one line per segment")
    private boolean verbose;

    @Option(names = "--progress", negatable = true,
            description = "show progress on the error stream (default: only when it is a terminal)")
    private Boolean progress;

    @Override
    public Integer call() {
        Store store = Failures.store(spec, storeOptions);
        if (!store.isFile()) {
            throw Failures.usage(spec, "wal verify checks the segments of the file backend; backend "
                    + store.backend() + " keeps none");
        }
        PrintWriter out = spec.commandLine().getOut();
        Inspection inspection;
        try {
            store.requireChannel();
            Progress bar = new Progress(spec.commandLine().getErr(), progress != null ? progress
                    : System.console() != null, totalBytes(store.channelDir()));
            try {
                inspection = FileLogInspector.inspect(store.channelDir(), bar);
            } finally {
                bar.done();
            }
        } catch (IOException e) {
            return Failures.report(spec, new UncheckedIOException("cannot read " + store.channelDir() + ": " + e, e));
        } catch (RuntimeException e) {
            return Failures.report(spec, e);
        }
        if (verbose) {
            for (Segment s : inspection.segments()) {
                out.printf(java.util.Locale.ROOT, "%s  %,d bytes  %,d records  %s  %s%n", s.file(), s.bytes(),
                        s.records(),
                        s.sealed() ? "sealed" : "open", s.corruption().isPresent() ? "CORRUPT"
                                : s.tornTail().isPresent() ? "torn tail" : "ok");
            }
        }
        for (Finding f : inspection.corruptions()) {
            out.println("CORRUPT: " + f.file() + " at position " + f.position() + ": " + f.reason());
        }
        inspection.tornTail().ifPresent(f -> out.println("note: torn tail in " + f.file() + " at position "
                + f.position() + " (" + f.reason() + "): not corruption; opening the channel for writing cuts it"));
        String summary = "channel " + store.channel() + ": " + inspection.segments().size() + " segments, "
                + inspection.records() + " records, " + inspection.bytes() + " bytes read";
        if (!inspection.corruptions().isEmpty()) {
            out.println("FAILED: " + inspection.corruptions().size() + " corruption"
                    + (inspection.corruptions().size() == 1 ? "" : "s") + " found in " + summary);
            out.flush();
            return Failures.FAILED;
        }
        out.println("OK: " + summary + ", no corruption");
        out.flush();
        return 0;
    }

    private static long totalBytes(Path channelDir) throws IOException {
        try (Stream<Path> files = Files.list(channelDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg")).mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    /** Redraws one status line as segments are read; prints nothing when disabled. */
    private static final class Progress implements FileLogInspector.Listener {
        private final PrintWriter err;
        private final boolean enabled;
        private final long totalBytes;
        private long doneBytes;
        private long currentBytes;
        private boolean drawn;

        Progress(PrintWriter err, boolean enabled, long totalBytes) {
            this.err = err;
            this.enabled = enabled;
            this.totalBytes = Math.max(1, totalBytes);
        }

        @Override
        public void segment(int index, int total, String file, long bytes) {
            doneBytes += currentBytes;
            currentBytes = bytes;
            if (enabled) {
                int percent = (int) (100 * doneBytes / totalBytes);
                int filled = percent / 5;
                err.print("\rverifying [" + "#".repeat(filled) + " ".repeat(20 - filled) + "] " + percent + "% "
                        + "segment " + (index + 1) + "/" + total + " " + file);
                err.flush();
                drawn = true;
            }
        }

        void done() {
            if (drawn) {
                err.println("\rverifying [" + "#".repeat(20) + "] 100%");
                err.flush();
            }
        }
    }
}
