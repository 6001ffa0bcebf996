package io.wal4j.it.reliability;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.AppendResult;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIds;
import io.wal4j.impls.file.FileOpenerBuilder;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The victim of {@link ProcessKillIT}: a JVM that appends to channel {@value #CHANNEL} of the file backend from
 * several threads until it is killed, and prints one line per acknowledged append, after the acknowledgement:
 * {@code ACK <writer> <seq> <id as text> <durability reached>}. Each writer appends sequentially, so its acknowledged
 * sequence numbers are 0, 1, 2… Before opening it prints {@code OPENING}, after {@code READY}; on any failure
 * {@code ERR <what>} and exits with 2. It exits by itself after two minutes, should its parent have vanished.
 *
 * <p>Arguments: {@code <dir> <full|spi> <OS|DISK> <threads> <run>}: {@code full} appends through
 * {@link WALRegistry} (durability from {@code wal.adaptor.durability}, the level every append of a full WAL asks
 * the backend for), {@code spi} straight to the backend asking for the durability on each append.
 */
public final class KillChild {

    /** The channel every run appends to. */
    static final String CHANNEL = "kill";

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);

    private KillChild() {
    }

    /**
     * @return the configuration used by the child and by the parent that checks its work: the durability is
     *     {@code wal.adaptor.durability} (which a full WAL reads; the backend ignores {@code wal.adaptor.} keys) and
     *     {@code wal.file.durability} (the backend's own one-argument append; the SPI rows pass it on each append)
     */
    static WALConfig config(String dir, Durability durability) {
        return WALConfig.of(Map.of("wal.file.dir", dir, "wal.adaptor.durability", durability.name(),
                "wal.file.durability", durability.name(), "wal.file.segment-bytes", "65536",
                "wal.file.reader-poll-interval", "5ms"));
    }

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        boolean full = args[1].equals("full");
        Durability durability = Durability.valueOf(args[2]);
        int threads = Integer.parseInt(args[3]);
        long run = Long.parseLong(args[4]);
        Thread watchdog = new Thread(() -> {
            try {
                TimeUnit.MINUTES.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }, "kill-child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        line("OPENING");
        WALConfig config = config(dir, durability);
        Appender appender;
        if (full) {
            Opener opener = WALRegistry.builder("file").build(config);
            WAL wal = opener.open(OpenOption.readWrite(CHANNEL, 1));
            appender = (w, seq) -> {
                AppendResult r = wal.append(ReliabilityTestUtils.message(run, w, seq));
                return MessageIds.toText(r.messageId()) + " " + r.durability();
            };
        } else {
            OpenerImpls opener = new FileOpenerBuilder().build(config);
            WALImpls wal = opener.open(OpenOption.readWrite(CHANNEL, 1));
            appender = (w, seq) -> {
                MessageId id = wal.append(ReliabilityTestUtils.message(run, w, seq), durability).get();
                return MessageIds.toText(id) + " " + durability;
            };
        }
        line("READY");
        for (int t = 0; t < threads; t++) {
            int writer = t;
            Thread thread = new Thread(() -> appendForever(appender, writer), "kill-child-appender-" + t);
            thread.start();
        }
    }

    @FunctionalInterface
    private interface Appender {
        /** @return "idText durability" once acknowledged */
        String append(int writer, long seq) throws Exception;
    }

    private static void appendForever(Appender appender, int writer) {
        for (long seq = 0; ; seq++) {
            try {
                String ack = appender.append(writer, seq);
                line("ACK " + writer + " " + seq + " " + ack);
            } catch (Exception | Error e) {
                line("ERR writer " + writer + " seq " + seq + ": " + e);
                Runtime.getRuntime().halt(2);
            }
        }
    }

    private static void line(String text) {
        // One write per line: a kill can cut the output only between lines or leave a partial last line, which the
        // parent ignores (that append then counts as unacknowledged, which it may be).
        synchronized (OUT) {
            OUT.println(text);
            if (OUT.checkError()) {
                Runtime.getRuntime().halt(4);
            }
        }
    }
}
