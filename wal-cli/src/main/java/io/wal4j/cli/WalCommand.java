package io.wal4j.cli;

import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
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
        subcommands = {DemoCommand.class, AppendCommand.class, TailCommand.class, DumpCommand.class,
            VerifyCommand.class, StatsCommand.class, TruncateCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        footerHeading = "%nExamples:%n",
        footer = {"  wal demo                                   appends while a scanner tails",
                "  echo hi | wal append --dir d --channel c   appends a message (d must exist)",
                "  wal tail --dir d --channel c -f            follows the channel until Ctrl-C",
                "  wal verify --dir d --channel c             checks every segment's checksums",
                "  wal help COMMAND                           a command's options and examples",
                "  source <(wal generate-completion)          tab completion in this shell",
                "%nExit status: 0 success, 1 the command failed (corruption, a locked channel, a failing "
                        + "backend), 2 bad usage.%n"})
public final class WalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** @return the command tree, ready to {@link CommandLine#execute(String...) execute} */
    public static CommandLine newCommandLine() {
        return newCommandLine(System.in);
    }

    /**
     * @param stdin what commands reading standard input read
     * @return the command tree, ready to {@link CommandLine#execute(String...) execute}
     */
    static CommandLine newCommandLine(InputStream stdin) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == AppendCommand.class ? type.cast(new AppendCommand(stdin)) : defaults.create(type);
            }
        };
        return new CommandLine(new WalCommand(), factory).setCaseInsensitiveEnumValuesAllowed(true);
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
