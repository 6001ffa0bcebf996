package io.wal4j.api.message;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/** Checks and sizes of property maps, shared by the message classes. */
final class MessageProperties {

    private MessageProperties() {
    }

    /**
     * @throws NullPointerException     if the key or value is null
     * @throws IllegalArgumentException if the key is empty or reserved
     */
    static void checkUserProperty(String key, String value) {
        Objects.requireNonNull(key, "property key");
        Objects.requireNonNull(value, () -> "value of property " + key);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("property key must not be empty");
        }
        if (ReservedProperties.isReserved(key)) {
            throw new IllegalArgumentException("property key \"" + key + "\" is reserved: keys starting with \""
                    + ReservedProperties.PREFIX + "\" belong to the WAL");
        }
    }

    /** @return the payload size plus the UTF-8 sizes of every key and value */
    static long estimateSize(int payloadLength, Map<String, String> properties) {
        long size = payloadLength;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            size += utf8Length(e.getKey()) + utf8Length(e.getValue());
        }
        return size;
    }

    private static int utf8Length(String s) {
        int ascii = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
            ascii++;
        }
        return ascii;
    }
}
