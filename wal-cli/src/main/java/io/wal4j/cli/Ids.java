package io.wal4j.cli;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIds;
import java.nio.ByteBuffer;

/**
 * Reads back the message ids the commands print. An id prints as its {@code toString()}, {@code <backend>:<n>} for
 * the built-in backends ({@code file:42}); {@link #parse} accepts that form when the backend's ids are 8-byte
 * sequence numbers (it checks by printing the decoded id again), and otherwise {@code <backend>:<base64>}, the
 * portable text form of {@link MessageIds#toText}. Stateless.
 */
final class Ids {

    private Ids() {
    }

    /**
     * @param backend the backend whose id this must be
     * @param text    {@code <backend>:<n>} or {@code <backend>:<base64>}
     * @return the id
     * @throws IllegalArgumentException quoting the text if it is not an id of {@code backend}
     */
    static MessageId parse(String backend, String text) {
        int colon = text.indexOf(':');
        if (colon < 0 || !text.substring(0, colon).equals(backend)) {
            throw new IllegalArgumentException("\"" + text + "\" is not a message id of backend " + backend
                    + " (expected " + backend + ":<number>, as the tool prints them)");
        }
        String rest = text.substring(colon + 1);
        if (rest.matches("\\d{1,19}")) {
            try {
                byte[] bytes = ByteBuffer.allocate(Long.BYTES).putLong(Long.parseLong(rest)).array();
                MessageId id = MessageIds.unmarshal(backend, bytes);
                if (id.toString().equals(text)) {
                    return id;
                }
            } catch (InvalidMessageIdException | NumberFormatException e) {
                // Not a sequence-number id: fall through to the portable form.
            }
        }
        try {
            return MessageIds.fromText(backend, rest);
        } catch (InvalidMessageIdException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a message id of backend " + backend + ": "
                    + e.getMessage(), e);
        }
    }
}
