package io.wal4j.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Prints payloads on one line: valid UTF-8 as text with control characters escaped ({@code \n}, {@code \t},
 * {@code \u0001}), anything else as {@code 0x} and hex. Stateless.
 */
final class Payloads {

    private Payloads() {
    }

    /** @return the payload decoded as UTF-8, or null if it is not valid UTF-8 */
    static String utf8OrNull(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** @return the payload as one printable line */
    static String printable(byte[] payload) {
        String text = utf8OrNull(payload);
        if (text == null) {
            return "0x" + HexFormat.of().formatHex(payload);
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
