package io.wal4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code wal} command: {@code --help}, {@code --version} and the subcommands. Run without a subcommand
 * it explains what to type and exits with 2.
 *
 * <p>Each invocation builds a fresh command tree with {@link #newCommandLine()}; instances are not shared between
 * threads.
 */
@Command(name = "wal",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "wal4j, an embeddable write-ahead log for Java: tools and a demo.",
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExample:%n",
        footer = {"  wal demo          append 100000 messages from 4 threads while a scanner tails",
                "  wal demo --help   every option of the demo%n"})
public final class WalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** @return the command tree, ready to {@link CommandLine#execute(String...) execute} */
    public static CommandLine newCommandLine() {
        return new CommandLine(new WalCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** @throws ParameterException always: the top-level command does nothing without a subcommand */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: try 'wal demo' or 'wal --help'");
    }
}
