package io.wal4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** Runs the {@code wal} command in-process with captured output. */
final class CliTestUtils {

    private CliTestUtils() {
    }

    /** The outcome of one invocation. */
    record Run(int exitCode, String out, String err) {
    }

    /** Runs {@code wal args…} on a fresh command tree. */
    static Run wal(String... args) {
        return walWithInput("", args);
    }

    /** Runs {@code wal args…} with {@code stdin} as standard input. */
    static Run walWithInput(String stdin, String... args) {
        CommandLine cmd = WalCommand.newCommandLine(
                new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** @return every data message of a file channel, read through the public API until none comes for 200 ms */
    static java.util.List<io.wal4j.api.message.ImmutableMessage> readAll(java.nio.file.Path dir, String channel) {
        java.util.List<io.wal4j.api.message.ImmutableMessage> out = new java.util.ArrayList<>();
        try (io.wal4j.api.Opener opener = io.wal4j.adaptor.WALRegistry.builder("file")
                .build(io.wal4j.api.WALConfig.empty().with("wal.file.dir", dir.toString()));
             io.wal4j.api.ReadOnlyWAL wal = opener.openReadOnly(io.wal4j.api.OpenOption.readOnly(channel, 1));
             io.wal4j.api.Scanner scanner = wal.read(io.wal4j.api.ReadOption.all())) {
            for (var m = scanner.poll(java.time.Duration.ofMillis(200)); m != null;
                 m = scanner.poll(java.time.Duration.ofMillis(200))) {
                if (!m.messageType().isSystem()) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** @return the names of the live threads whose name starts with {@code prefix} */
    static Set<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
    }
}
