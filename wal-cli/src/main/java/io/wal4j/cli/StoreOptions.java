package io.wal4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every command that works on one channel shares: {@code --backend}, {@code --dir}, {@code --channel},
 * {@code --term}. A picocli mixin, filled in once per invocation; not thread-safe.
 */
final class StoreOptions {

    /** The term used when {@code --term} is not given. */
    static final long DEFAULT_TERM = 1;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "file",
            description = "backend, as registered (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "root directory of the file backend (required for it); channel C lives in DIR/C")
    Path dir;

    @Option(names = "--channel", paramLabel = "NAME", required = true, description = "the channel")
    String channel;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "a backend or adaptor configuration key (repeatable), e.g. wal.file.segment-bytes=1MiB")
    java.util.Map<String, String> config = new java.util.LinkedHashMap<>();

    @Option(names = "--term", paramLabel = "N", defaultValue = "1",
            description = "term to open the channel at (default: ${DEFAULT-VALUE}); a channel once opened at a "
                    + "higher term refuses lower ones ('wal stats' prints the channel's term)")
    long term;
}
