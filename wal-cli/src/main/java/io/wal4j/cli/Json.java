package io.wal4j.cli;

import java.util.Map;

/** Writes the few JSON values the commands print: strings, numbers, flat objects. Stateless. */
final class Json {

    private Json() {
    }

    /** @return {@code text} as a JSON string literal, quotes included */
    static String string(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * @param fields names and values, in order: a value is printed as is when it is a {@link Number} or
     *               {@link Boolean}, as a nested object when it is a {@link Map}, null as {@code null}, else as a
     *               string
     * @return one JSON object
     */
    static String object(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(string(name)).append(':').append(value(value));
        });
        return out.append('}').toString();
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> map) {
            java.util.LinkedHashMap<String, Object> nested = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> nested.put(String.valueOf(k), v));
            return object(nested);
        }
        return string(value.toString());
    }
}
