package io.wal4j.cli;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.WALCorruptionException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns what went wrong into the commands' messages and exit codes: bad option values become picocli usage errors
 * (exit 2, with the usage), everything else one line on the error stream saying what failed and what to do (exit 1).
 * Stateless.
 */
final class Failures {

    /** Exit code of a command that ran and failed. */
    static final int FAILED = 1;

    private Failures() {
    }

    /** @return the store the options name; a bad value becomes a usage error (exit 2) */
    static Store store(CommandSpec spec, StoreOptions options) {
        try {
            Store store = Store.of(options);
            // Building an opener checks every configuration key (an unknown or malformed --config is bad usage);
            // it opens no channel.
            store.opener().close();
            return store;
        } catch (IllegalArgumentException e) {
            throw usage(spec, e.getMessage());
        }
    }

    /** @return a usage error (exit 2) with {@code message} */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * Prints {@code failure} as {@code wal <command>: <what happened>[; hint]} and returns {@link #FAILED}.
     *
     * @param spec    the failing command
     * @param failure what was thrown
     */
    static int report(CommandSpec spec, Throwable failure) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + describe(unwrap(failure)));
        err.flush();
        return FAILED;
    }

    /** @return the cause a future or executor wrapped */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** @return one line saying what happened and, where there is one, what to do about it */
    static String describe(Throwable t) {
        if (t instanceof WALCorruptionException c) {
            return "corrupt segment " + c.file() + " at position " + c.position() + ": " + t.getMessage()
                    + "; run 'wal verify' to check every segment";
        }
        if (t instanceof ChannelFencedException) {
            return t.getMessage() + "; the channel was opened at a higher term: pass it with --term ('wal stats' "
                    + "prints it)";
        }
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        if (message.contains("lock file")) {
            return "channel is locked: " + message + "; stop the process writing it, or use a command that only "
                    + "reads (tail, dump, verify, stats)";
        }
        if (t instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException n) {
            return message + " (no such file: " + n.getFile() + ")";
        }
        if (t instanceof Store.ChannelNotFoundException || t instanceof io.wal4j.api.WALException) {
            return message;
        }
        return t.toString();
    }
}
