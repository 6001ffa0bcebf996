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
        CommandLine cmd = WalCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** @return the names of the live threads whose name starts with {@code prefix} */
    static Set<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
    }
}
