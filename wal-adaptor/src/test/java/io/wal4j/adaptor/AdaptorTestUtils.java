package io.wal4j.adaptor;

import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MutableMessage;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Shared helpers of the adaptor tests. */
final class AdaptorTestUtils {

    private AdaptorTestUtils() {
    }

    /** A configuration whose retries are quick, so retry tests do not wait for the 10 ms → 5 s production backoff. */
    static WALConfig fastRetries() {
        return WALConfig.of(Map.of(AdaptorConfig.APPEND_RETRY_INITIAL.name(), "1ms",
                AdaptorConfig.APPEND_RETRY_MAX.name(), "20ms"));
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
