package io.wal4j.it.reliability;

import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.ReservedProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Shared helpers of the reliability tests: self-verifying messages whose payload can be regenerated from their
 * properties (so any corrupt byte is detected), reading up to a known marker, counting threads and descriptors.
 */
final class ReliabilityTestUtils {

    /** Property: the writer (thread) number. */
    static final String WRITER = "w";
    /** Property: the writer's sequence number. */
    static final String SEQ = "s";
    /** Property: the run (kill cycle, soak round) that wrote it. */
    static final String RUN = "r";
    /** Property: the CRC32C of the payload, hex. */
    static final String CRC = "crc";
    /** Property present on the marker messages a test appends to know where the log ends. */
    static final String MARKER = "marker";

    private ReliabilityTestUtils() {
    }

    /** @return the deterministic payload of message {@code (run, writer, seq)}: 0 to 1,499 pseudo-random bytes */
    static byte[] payload(long run, int writer, long seq) {
        SplittableRandom random = new SplittableRandom(run * 1_000_003L + writer * 7_919L + seq * 31L + 17);
        byte[] bytes = new byte[random.nextInt(1_500)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** @return the CRC32C of {@code bytes} as hex */
    static String crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return Long.toHexString(crc.getValue());
    }

    /** @return the self-verifying message {@code (run, writer, seq)} */
    static MutableMessage message(long run, int writer, long seq) {
        byte[] payload = payload(run, writer, seq);
        return MutableMessage.newBuilder().payload(payload).property(RUN, Long.toString(run))
                .property(WRITER, Integer.toString(writer)).property(SEQ, Long.toString(seq))
                .property(CRC, crc(payload)).build();
    }

    /** @return a marker message carrying {@code name} */
    static MutableMessage marker(String name) {
        return MutableMessage.newBuilder().payload(name.getBytes(StandardCharsets.UTF_8)).property(MARKER, name)
                .build();
    }

    /** @return {@code "run/writer/seq"} of a message written by {@link #message} */
    static String key(ImmutableMessage m) {
        return m.property(RUN) + "/" + m.property(WRITER) + "/" + m.property(SEQ);
    }

    /**
     * @return null if {@code m} is exactly message {@code (run, writer, seq)} as {@link #message} built it (payload
     *     regenerated and compared byte for byte, checksum property, no stray user property), otherwise what differs
     */
    static String verify(ImmutableMessage m) {
        try {
            long run = Long.parseLong(m.property(RUN));
            int writer = Integer.parseInt(m.property(WRITER));
            long seq = Long.parseLong(m.property(SEQ));
            byte[] expected = payload(run, writer, seq);
            if (!java.util.Arrays.equals(expected, m.payload())) {
                return "payload of " + key(m) + " differs (" + m.payloadSize() + " bytes, expected "
                        + expected.length + ")";
            }
            if (!crc(expected).equals(m.property(CRC))) {
                return "checksum property of " + key(m) + " is " + m.property(CRC);
            }
            Map<String, String> user = userProperties(m);
            if (user.size() != 4) {
                return "user properties of " + key(m) + " are " + user;
            }
            return null;
        } catch (RuntimeException e) {
            return "unreadable message " + m + ": " + e;
        }
    }

    /** @return the properties of {@code m} that are not reserved, sorted */
    static Map<String, String> userProperties(ImmutableMessage m) {
        return m.properties().entrySet().stream().filter(e -> !ReservedProperties.isReserved(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /**
     * Reads every non-system message from the start up to and including the marker {@code name}.
     *
     * @throws AssertionError if the marker does not arrive within {@code timeout} of the previous message
     */
    static List<ImmutableMessage> readUpToMarker(ReadOnlyWAL wal, String name, Duration timeout) {
        List<ImmutableMessage> out = new ArrayList<>();
        try (Scanner scanner = wal.read(ReadOption.all())) {
            while (true) {
                ImmutableMessage m = scanner.poll(timeout);
                if (m == null) {
                    throw new AssertionError("marker " + name + " not delivered within " + timeout + " after "
                            + out.size() + " messages");
                }
                if (m.messageType().isSystem()) {
                    continue;
                }
                out.add(m);
                if (name.equals(m.property(MARKER))) {
                    return out;
                }
            }
        }
    }

    /** @return the names of live threads starting with {@code prefix}, sorted */
    static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).sorted().toList();
    }

    /** @return how many file descriptors this process has open, or -1 where {@code /proc/self/fd} is missing */
    static int openFileDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> list = Files.list(fds)) {
            return (int) list.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
