package io.wal4j.cli;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.message.ImmutableMessage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wal tail}: prints a channel's messages from the start, the end or an id; with {@code -f} keeps printing
 * new ones until interrupted. Reads through a read-only WAL, so it works while another process writes. Instantiated
 * by picocli once per invocation; not thread-safe.
 */
@Command(name = "tail",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Prints a channel's messages; -f keeps following it.",
        description = {
            "%nPrints one line per message: its id, a tab, and its payload (UTF-8 text with control characters "
                    + "escaped, or 0x and hex when it is not UTF-8). The WAL's own messages (time ticks, "
                    + "transaction markers) are left out unless --system.",
            "Where it stops: a WAL has no end while someone may write to it, so without -f 'the end' is the "
                    + "moment no message has arrived for --idle (default 500ms): everything already written is "
                    + "printed, and a message appended while tail runs may or may not be. With -f it never stops by "
                    + "itself: press Ctrl-C (or give --max-messages).",
            "The channel is opened read-only: no lock is taken and nothing is written.",
            "A corrupt sealed segment fails the command (exit 1, naming file and position). A bad record in the "
                    + "last segment, the one being written, reads as the current end, since it may be a record "
                    + "still being written: 'wal verify' tells the two apart.",
            "Exit status: 0 done (or interrupted), 1 the backend failed, 2 bad options."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wal tail --dir /tmp/wal --channel orders",
            "  wal tail --dir /tmp/wal --channel orders -f --from latest",
            "  wal tail --dir /tmp/wal --channel orders --from file:42 --max-messages 10%n"})
final class TailCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions storeOptions;

    @Option(names = "--from", paramLabel = "all|latest|ID", defaultValue = "all",
            description = "where to start: all (the first message kept), latest (only messages appended from now) "
                    + "or an id as the tool prints it, e.g. file:42 (default: ${DEFAULT-VALUE})")
    private String from;

    @Option(names = {"-f", "--follow"}, description = "keep waiting for new messages until Ctrl-C")
    private boolean follow;

    @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "500ms",
            description = "without -f: stop once no message arrived for this long, e.g. 200ms, 2s "
                    + "(default: ${DEFAULT-VALUE})")
    private String idle;

    @Option(names = {"-n", "--max-messages"}, paramLabel = "N",
            description = "stop after printing N messages")
    private Long maxMessages;

    @Option(names = "--vchannel", paramLabel = "NAME", description = "only the messages of this virtual channel")
    private String vchannel;

    @Option(names = "--system", description = "also print the WAL's own messages (time ticks…)")
    private boolean system;

    @Option(names = "--payload-only", description = "print only the payloads, without ids")
    private boolean payloadOnly;

    @Override
    public Integer call() {
        Store store = Failures.store(spec, storeOptions);
        Duration idleTime = Durations.parse(spec, "--idle", idle);
        DeliverPolicy policy = startPolicy(store);
        if (maxMessages != null && maxMessages < 1) {
            throw Failures.usage(spec, "--max-messages must be >= 1, got " + maxMessages);
        }
        ReadOption.Builder option = ReadOption.newBuilder().name("wal-tail").deliverPolicy(policy);
        if (vchannel != null) {
            if (vchannel.isEmpty()) {
                throw Failures.usage(spec, "--vchannel must not be empty");
            }
            option.vchannel(vchannel);
        }
        PrintWriter out = spec.commandLine().getOut();
        long printed = 0;
        try (Opener opener = store.opener();
             ReadOnlyWAL wal = store.openReadOnly(opener);
             Scanner scanner = wal.read(option.build())) {
            while (maxMessages == null || printed < maxMessages) {
                ImmutableMessage m = follow ? scanner.take() : scanner.poll(idleTime);
                if (m == null) {
                    break;
                }
                if (m.messageType().isSystem() && !system) {
                    continue;
                }
                out.println(payloadOnly ? Payloads.printable(m.payload())
                        : m.id() + "\t" + Payloads.printable(m.payload()));
                out.flush();
                printed++;
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return 0;
            }
            return Failures.report(spec, e);
        }
        return 0;
    }

    private DeliverPolicy startPolicy(Store store) {
        try {
            return StartOption.parse(store.backend(), from);
        } catch (IllegalArgumentException e) {
            throw Failures.usage(spec, e.getMessage());
        }
    }
}
