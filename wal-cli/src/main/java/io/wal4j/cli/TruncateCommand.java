package io.wal4j.cli;

import io.wal4j.api.OpenOption;
import io.wal4j.api.message.MessageId;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wal truncate}: drops a channel's messages up to an id, as far as the backend's truncation goes. Opens the
 * channel for writing. Instantiated by picocli once per invocation; not thread-safe.
 */
@Command(name = "truncate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Drops a channel's messages up to and including an id.",
        description = {
            "%nAsks the backend to drop every message up to and including --up-to. Truncation is advisory: the "
                    + "file backend deletes whole sealed segments whose last id is at most --up-to, so a few earlier "
                    + "messages stay readable, and the segment being written is never deleted; a backend without "
                    + "truncation keeps everything. Ids are never reused.",
            "The channel is opened for writing at --term: it fails if another process writes it.",
            "Exit status: 0 done, 1 the backend failed (locked, fenced, corrupt), 2 bad options."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wal truncate --dir /tmp/wal --channel orders --up-to file:1000%n"})
final class TruncateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions storeOptions;

    @Option(names = "--up-to", paramLabel = "ID", required = true,
            description = "the last id to drop, as the tool prints it (e.g. file:1000)")
    private String upTo;

    @Override
    public Integer call() {
        Store store = Failures.store(spec, storeOptions);
        MessageId id;
        try {
            id = Ids.parse(store.backend(), upTo);
        } catch (IllegalArgumentException e) {
            throw Failures.usage(spec, "--up-to: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            store.requireChannel();
            List<Path> before = segments(store);
            try (OpenerImpls opener = store.impls().build(store.config());
                 WALImpls wal = opener.open(OpenOption.readWrite(store.channel(), store.term()))) {
                wal.truncate(id).join();
            }
            if (!store.impls().capabilities().truncate()) {
                out.println("backend " + store.backend() + " does not truncate: everything is kept");
            } else if (store.isFile()) {
                List<Path> after = segments(store);
                out.println("truncated " + store.channel() + " up to " + id + ": deleted " + (before.size()
                        - after.size()) + " of " + before.size() + " segments, " + (bytes(before) - bytes(after))
                        + " bytes; " + after.size() + " segments, " + bytes(after) + " bytes left");
            } else {
                out.println("truncated " + store.channel() + " up to " + id);
            }
        } catch (RuntimeException e) {
            return Failures.report(spec, e);
        }
        out.flush();
        return 0;
    }

    private static List<Path> segments(Store store) {
        if (!store.isFile()) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(store.channelDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + store.channelDir(), e);
        }
    }

    private static long bytes(List<Path> files) {
        return files.stream().mapToLong(p -> p.toFile().length()).sum();
    }
}
