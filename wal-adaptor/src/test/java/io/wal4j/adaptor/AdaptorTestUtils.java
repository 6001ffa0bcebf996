package io.wal4j.adaptor;

import io.wal4j.api.Scanner;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Shared helpers of the adaptor tests. */
final class AdaptorTestUtils {

    private AdaptorTestUtils() {
    }

    /**
     * A configuration whose retries are quick, so retry tests do not wait for the 10 ms → 5 s production backoff. Time
     * ticks are off (plain mode): these tests script every backend append and count them, and must not see the
     * time-tick writes; the time-tick tests use {@link #timeTicks()}.
     */
    static WALConfig fastRetries() {
        return WALConfig.of(Map.of(AdaptorConfig.APPEND_RETRY_INITIAL.name(), "1ms",
                AdaptorConfig.APPEND_RETRY_MAX.name(), "20ms", AdaptorConfig.TIMETICK_ENABLED.name(), "false"));
    }

    /** A configuration with time ticks on and quick retries. */
    static WALConfig timeTicks() {
        return WALConfig.of(Map.of(AdaptorConfig.APPEND_RETRY_INITIAL.name(), "1ms",
                AdaptorConfig.APPEND_RETRY_MAX.name(), "20ms"));
    }

    /** @return the next message that is not a time tick, waiting as long as it takes */
    static ImmutableMessage takeData(Scanner scanner) {
        while (true) {
            ImmutableMessage m = scanner.take();
            if (!m.messageType().equals(MessageType.TIME_TICK)) {
                return m;
            }
        }
    }

    /** @return the next message that is not a time tick, or null when a poll of {@code timeout} returns nothing */
    static ImmutableMessage pollData(Scanner scanner, Duration timeout) {
        while (true) {
            ImmutableMessage m = scanner.poll(timeout);
            if (m == null || !m.messageType().equals(MessageType.TIME_TICK)) {
                return m;
            }
        }
    }

    static MutableMessage message(String payload) {
        return MutableMessage.newBuilder().payload(payload.getBytes(StandardCharsets.UTF_8)).build();
    }

    static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** @return the names of live threads whose name starts with {@code prefix} */
    static Set<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
    }
}
