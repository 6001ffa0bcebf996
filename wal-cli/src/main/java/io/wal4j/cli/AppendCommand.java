package io.wal4j.cli;

import io.wal4j.api.AppendResult;
import io.wal4j.api.Durability;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.ReservedProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wal append}: appends messages read from standard input or files, one per line (or one per file with
 * {@code --whole-file}), each waiting for its acknowledgement, and prints the ids. Instantiated by picocli once per
 * invocation; not thread-safe.
 */
@Command(name = "append",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Appends messages from standard input or files, one message per line.",
        description = {
            "%nEach line (without its line terminator, UTF-8) becomes one message's payload; empty lines are "
                    + "skipped. With --whole-file each FILE is one message, byte for byte. '-' or no FILE reads "
                    + "standard input. Every message carries the --property pairs and the --vchannel. Appends are "
                    + "acknowledged one by one at the backend's durability (file: DISK, after fsync) unless "
                    + "--durability says otherwise; the command prints the first and last id.",
            "The channel is opened for writing: it is created if missing, and it fails if another process holds "
                    + "it.",
            "Exit status: 0 all appended, 1 an append or the backend failed (what was acknowledged before stays), "
                    + "2 bad options."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  echo hello | wal append --dir /tmp/wal --channel orders",
            "  wal append --dir /tmp/wal --channel orders --property source=import --vchannel v1 events.txt",
            "  wal append --dir /tmp/wal --channel blobs --whole-file a.bin b.bin%n"})
final class AppendCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions storeOptions;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "files to read ('-' is standard input; default: standard input)")
    private List<String> files = new ArrayList<>();

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE",
            description = "a property of every message (repeatable); keys starting with '_' are reserved")
    private Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--vchannel", paramLabel = "NAME", description = "the virtual channel of every message")
    private String vchannel;

    @Option(names = "--whole-file", description = "each FILE is one message, instead of each line")
    private boolean wholeFile;

    @Option(names = "--durability", paramLabel = "LEVEL",
            description = "durability of every append, one of ${COMPLETION-CANDIDATES} that the backend supports "
                    + "(default: the backend's)")
    private Durability durability;

    @Option(names = {"-q", "--quiet"}, description = "print nothing on success")
    private boolean quiet;

    private final InputStream stdin;

    /** @param stdin what '-' reads: {@link System#in}, or a test's stream */
    AppendCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        Store store = Failures.store(spec, storeOptions);
        MutableMessage.Builder template = template();
        List<String> sources = files.isEmpty() ? List.of("-") : files;
        if (wholeFile && sources.contains("-")) {
            throw Failures.usage(spec, "--whole-file needs FILE arguments, not standard input");
        }
        for (String f : sources) {
            if (!f.equals("-") && !Files.isRegularFile(Path.of(f))) {
                throw Failures.usage(spec, "cannot read FILE " + f + (Files.exists(Path.of(f))
                        ? ": not a regular file" : ": no such file"));
            }
        }
        if (durability != null && !store.impls().capabilities().supports(durability)) {
            throw Failures.usage(spec, "backend " + store.backend() + " supports durability "
                    + store.impls().capabilities().durabilities() + ", not --durability " + durability);
        }
        Appender appender = new Appender(template);
        try (Opener opener = store.opener(durability); WAL wal = store.open(opener)) {
            appender.wal = wal;
            for (String source : sources) {
                if (wholeFile) {
                    appender.append(Files.readAllBytes(Path.of(source)));
                } else {
                    appendLines(source, appender);
                }
            }
        } catch (IOException e) {
            appender.summaryOnFailure(spec.commandLine().getErr());
            return Failures.report(spec, new UncheckedIOException("cannot read input", e));
        } catch (RuntimeException e) {
            appender.summaryOnFailure(spec.commandLine().getErr());
            return Failures.report(spec, e);
        }
        if (!quiet) {
            appender.summary(spec.commandLine().getOut());
        }
        return 0;
    }

    private MutableMessage.Builder template() {
        MutableMessage.Builder builder = MutableMessage.newBuilder();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().isEmpty() || ReservedProperties.isReserved(e.getKey())) {
                throw Failures.usage(spec, "invalid --property key \"" + e.getKey()
                        + "\": keys must be non-empty and not start with '_' (reserved for the WAL)");
            }
            builder.property(e.getKey(), e.getValue());
        }
        if (vchannel != null) {
            if (vchannel.isEmpty()) {
                throw Failures.usage(spec, "--vchannel must not be empty");
            }
            builder.vchannel(vchannel);
        }
        return builder;
    }

    private void appendLines(String source, Appender appender) throws IOException {
        InputStream in = source.equals("-") ? stdin : Files.newInputStream(Path.of(source));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    appender.append(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no such file " + source, e);
        }
    }

    /** Appends one message at a time and remembers the first and last acknowledgement. */
    private final class Appender {
        private final MutableMessage.Builder template;
        private WAL wal;
        private long count;
        private AppendResult first;
        private AppendResult last;

        Appender(MutableMessage.Builder template) {
            this.template = template;
        }

        void append(byte[] payload) {
            MutableMessage message = template.payload(payload).build();
            AppendResult result = wal.append(message);
            if (first == null) {
                first = result;
            }
            last = result;
            count++;
        }

        /** Says what was acknowledged before a failure, which stays in the channel. */
        void summaryOnFailure(PrintWriter err) {
            if (count > 0) {
                err.print("before the failure, ");
                summary(err);
            }
        }

        void summary(PrintWriter out) {
            if (count == 0) {
                out.println("appended 0 messages to " + storeOptions.channel);
            } else {
                out.println("appended " + count + " message" + (count == 1 ? "" : "s") + " to " + storeOptions.channel
                        + ": ids " + first.messageId() + " .. " + last.messageId() + " (durability "
                        + last.durability() + ")");
            }
            out.flush();
        }
    }
}
