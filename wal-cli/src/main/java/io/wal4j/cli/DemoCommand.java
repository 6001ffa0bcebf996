package io.wal4j.cli;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code wal demo}: opens a channel on the embedded default backend, appends messages from several threads while a
 * scanner tails them, checks that the scanner saw every acknowledged message exactly once and in increasing id
 * order, and prints counts, timings and rates. Exits 0 when the check passes, 1 when it fails or the backend fails,
 * 2 on bad options. Instantiated by picocli once per invocation; not thread-safe.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        header = "Appends from several threads while a scanner tails; checks every message arrived once, in order.",
        versionProvider = VersionProvider.class,
        description = {
            "%nOpens a channel, appends N messages from T threads (asynchronously, at most K unacknowledged per "
                    + "thread) while a scanner tails the channel from the start, checks that the scanner saw every "
                    + "acknowledged message exactly once, in strictly increasing time-tick order, and prints counts, elapsed time, "
                    + "appends/s, MB/s and the tail lag (from handing a message to the WAL to its delivery).",
            "Exit status: 0 checked OK, 1 the check or the backend failed, 2 bad options."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wal demo",
            "  wal demo --messages 1000000 --threads 8 --payload-bytes 512 --durability OS",
            "  wal demo --backend memory --messages 20000%n"})
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "backend to run on (default: file when it is on the class path, else memory)")
    private String backend;

    /** Where the file backend keeps the demo's data unless {@code --dir} or {@code --temp} says otherwise. */
    static final Path DEFAULT_DIR = Path.of("wal-data");

    @Option(names = "--dir", paramLabel = "DIR",
            description = "root directory of the file backend (default: ./wal-data, kept between runs)")
    private Path dir;

    @Option(names = "--temp", description = "use a fresh temporary directory instead, deleted after the run")
    private boolean temp;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "demo",
            description = "channel to write and tail (default: ${DEFAULT-VALUE})")
    private String channel;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "100000",
            description = "messages to append (default: ${DEFAULT-VALUE})")
    private int messages;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "4",
            description = "appender threads (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--payload-bytes", paramLabel = "B", defaultValue = "128",
            description = "payload size of each message (default: ${DEFAULT-VALUE})")
    private int payloadBytes;

    @Option(names = "--max-in-flight", paramLabel = "K", defaultValue = "256",
            description = "unacknowledged appends allowed per thread (default: ${DEFAULT-VALUE})")
    private int maxInFlight;

    @Option(names = "--durability", paramLabel = "LEVEL",
            description = "durability of every append, one of ${COMPLETION-CANDIDATES} that the backend supports "
                    + "(file: OS or DISK; memory: MEMORY); default: the backend's default")
    private Durability durability;

    @Option(names = "--keep", description = "with --temp: keep the temporary directory after the run")
    private boolean keep;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (DemoWorkspace workspace = DemoWorkspace.create(settings())) {
            out.println("wal demo: " + workspace.describe());
            out.flush();
            DemoReport report = run(workspace);
            report.print(report.succeeded() ? out : err);
            return report.succeeded() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (WALException | UncheckedIOException e) {
            err.println("FAILED: " + e);
            err.flush();
            return 1;
        }
    }

    /** @return the settings of this invocation; package-private for tests */
    DemoSettings settings() {
        String name = backend != null ? backend : DemoWorkspace.defaultBackend();
        if (temp && dir != null) {
            throw new ParameterException(spec.commandLine(), "--dir and --temp exclude each other");
        }
        Optional<Path> where = Optional.ofNullable(dir);
        if (where.isEmpty() && !temp && name.equals(DemoWorkspace.FILE_BACKEND)) {
            where = Optional.of(DEFAULT_DIR);
        }
        return new DemoSettings(name, where, channel, messages, threads, payloadBytes,
                maxInFlight, Optional.ofNullable(durability), keep);
    }

    private DemoReport run(DemoWorkspace workspace) throws InterruptedException {
        DemoSettings settings = workspace.settings();
        try (Opener opener = WALRegistry.builder(settings.backend()).build(workspace.config());
             WAL wal = opener.open(OpenOption.readWrite(settings.channel(), 1));
             Scanner scanner = wal.read(ReadOption.newBuilder().name("demo-tail").build())) {
            return new DemoRun(wal, scanner, settings, DemoRun.STALL_LIMIT).execute();
        }
    }
}
