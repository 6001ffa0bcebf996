package io.wal4j.it.reliability;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIds;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.registry.WALImplsRegistry;

/**
 * Run by {@link BrokenProviderIT} in a fresh JVM whose class path also lists service files naming classes that do
 * not exist. Prints one {@code OK <check>} or {@code FAIL <check>: <what happened>} line per check; the lookups run
 * in this order on purpose, the unknown-name lookup first, since it is what triggers the codecs' lazy
 * {@link java.util.ServiceLoader} scan.
 */
public final class BrokenProviderChild {

    private BrokenProviderChild() {
    }

    public static void main(String[] args) {
        check("unknown-name-lookup-reports-InvalidMessageIdException", () -> {
            try {
                MessageIds.unmarshal("nosuchwal", new byte[8]);
                return "no exception";
            } catch (InvalidMessageIdException e) {
                return null;
            }
        });
        check("registry-still-finds-memory", () -> WALImplsRegistry.find("memory").isPresent() ? null : "not found");
        check("memory-backend-works-and-its-ids-decode", () -> {
            try (Opener opener = WALRegistry.builder("memory").build(WALConfig.empty());
                 WAL wal = opener.open(OpenOption.readWrite("broken-provider", 1))) {
                MessageId id = wal.append(MutableMessage.newBuilder().payload(new byte[] {1}).build()).messageId();
                MessageId back = MessageIds.fromText("memory", MessageIds.toText(id));
                return back.equals(id) ? null : "decoded " + back + ", expected " + id;
            }
        });
    }

    @FunctionalInterface
    private interface Check {
        /** @return null when the check passed, else what went wrong */
        String run() throws Exception;
    }

    private static void check(String name, Check check) {
        String outcome;
        try {
            outcome = check.run();
        } catch (Throwable t) {
            outcome = t.toString();
        }
        System.out.println(outcome == null ? "OK " + name : "FAIL " + name + ": " + outcome);
        System.out.flush();
    }
}
