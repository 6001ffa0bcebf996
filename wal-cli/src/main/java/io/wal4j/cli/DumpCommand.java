package io.wal4j.cli;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.ReservedProperties;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wal dump}: lists a channel's records, the WAL's own included, with id, time tick, type, vchannel and size,
 * as a table or as JSON lines. Reads through a read-only WAL. Instantiated by picocli once per invocation; not
 * thread-safe.
 */
@Command(name = "dump",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Lists a channel's records: id, time tick, type, vchannel, size.",
        description = {
            "%nPrints every record from --from on, the WAL's own (TimeTick, transaction markers) included: its id, "
                    + "time tick, type, vchannel, payload size and its estimated size (payload plus properties), and "
                    + "with --payload the payload. --json prints one JSON object per line instead, with the user "
                    + "properties too.",
            "Like 'wal tail' without -f, it stops once no record arrived for --idle (default 500ms).",
            "A corrupt sealed segment fails the command (exit 1, naming file and position). A bad record in the "
                    + "last segment, the one being written, reads as the current end, since it may be a record "
                    + "still being written: 'wal verify' tells the two apart.",
            "Exit status: 0 done, 1 the backend failed (a corrupt segment, say), 2 bad options."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  wal dump --dir /tmp/wal --channel orders",
            "  wal dump --dir /tmp/wal --channel orders --json --payload | jq .timeTick",
            "  wal dump --dir /tmp/wal --channel orders --from file:100 -n 20%n"})
final class DumpCommand implements Callable<Integer> {

    private static final String ROW = "%-24s %20s %-12s %-16s %10s %10s%s%n";

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions storeOptions;

    @Option(names = "--from", paramLabel = "all|latest|ID", defaultValue = "all",
            description = "where to start: all, latest, or an id as the tool prints it (default: ${DEFAULT-VALUE})")
    private String from;

    @Option(names = "--json", description = "one JSON object per line")
    private boolean json;

    @Option(names = "--payload", description = "include the payload (text, or 0x and hex)")
    private boolean payload;

    @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "500ms",
            description = "stop once no record arrived for this long (default: ${DEFAULT-VALUE})")
    private String idle;

    @Option(names = {"-n", "--max-records"}, paramLabel = "N", description = "stop after N records")
    private Long maxRecords;

    @Override
    public Integer call() {
        Store store = Failures.store(spec, storeOptions);
        Duration idleTime = Durations.parse(spec, "--idle", idle);
        if (maxRecords != null && maxRecords < 1) {
            throw Failures.usage(spec, "--max-records must be >= 1, got " + maxRecords);
        }
        DeliverPolicy policy;
        try {
            policy = StartOption.parse(store.backend(), from);
        } catch (IllegalArgumentException e) {
            throw Failures.usage(spec, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        long records = 0;
        try (Opener opener = store.opener();
             ReadOnlyWAL wal = store.openReadOnly(opener);
             Scanner scanner = wal.read(ReadOption.newBuilder().name("wal-dump").deliverPolicy(policy).build())) {
            if (!json) {
                out.printf(ROW, "ID", "TIME_TICK", "TYPE", "VCHANNEL", "PAYLOAD_B", "SIZE_B",
                        payload ? "  PAYLOAD" : "");
            }
            for (ImmutableMessage m = scanner.poll(idleTime); m != null; m = scanner.poll(idleTime)) {
                print(out, m);
                records++;
                if (maxRecords != null && records >= maxRecords) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            out.flush();
            return Failures.report(spec, e);
        }
        if (!json) {
            out.println(records + " record" + (records == 1 ? "" : "s"));
        }
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, ImmutableMessage m) {
        String tick = m.hasTimeTick() ? Long.toString(m.timeTick()) : "-";
        String vchannel = m.vchannel() == null || m.vchannel().isEmpty() ? "-" : m.vchannel();
        if (!json) {
            out.printf(ROW, m.id(), tick, m.messageType().name(), vchannel, m.payloadSize(), m.estimateSize(),
                    payload ? "  " + Payloads.printable(m.payload()) : "");
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", m.id().toString());
        fields.put("timeTick", m.hasTimeTick() ? m.timeTick() : null);
        fields.put("type", m.messageType().name());
        fields.put("vchannel", vchannel.equals("-") ? null : vchannel);
        fields.put("payloadBytes", m.payloadSize());
        fields.put("size", m.estimateSize());
        Map<String, String> user = new TreeMap<>();
        m.properties().forEach((k, v) -> {
            if (!ReservedProperties.isReserved(k)) {
                user.put(k, v);
            }
        });
        fields.put("properties", user);
        if (payload) {
            String text = Payloads.utf8OrNull(m.payload());
            if (text != null) {
                fields.put("payload", text);
            } else {
                fields.put("payloadHex", java.util.HexFormat.of().formatHex(m.payload()));
            }
        }
        out.println(Json.object(fields));
    }
}
