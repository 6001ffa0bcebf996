package io.wal4j.testkit;

import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import java.nio.charset.StandardCharsets;

/**
 * The messages the kit writes. Data messages carry the Milvus framework's {@code {"id", "const"}} properties; the
 * marker that ends a writer's term also carries {@code "term"}, which is how readers recognise it (the backend
 * stores any type, so the marker's {@link MessageType#TIME_TICK} type is just one more reserved property to keep).
 * Every payload is distinct so a swapped or corrupted payload cannot go unnoticed.
 */
final class TestMessages {

    /** The value of the {@code "const"} property on every framework message. */
    static final String CONST = "t";
    /** The property that marks the end of a term's writes. */
    static final String TERM = "term";

    private TestMessages() {
    }

    /** @return data message {@code i} of {@code channel} at {@code term} */
    static MutableMessage data(String channel, long term, int i) {
        return MutableMessage.newBuilder()
                .payload(utf8("data/" + channel + "/" + term + "/" + i))
                .property("id", Integer.toString(i))
                .property("const", CONST)
                .build();
    }

    /** @return the marker a writer appends last in {@code term}, after every data message completed */
    static MutableMessage marker(String channel, long term, int id) {
        return MutableMessage.newBuilder()
                .payload(utf8("marker/" + channel + "/" + term))
                .messageType(MessageType.TIME_TICK)
                .vchannel("v1")
                .property("id", Integer.toString(id))
                .property("const", CONST)
                .property(TERM, Long.toString(term))
                .build();
    }

    /** @return a message whose payload is {@code text} and that has no property */
    static MutableMessage plain(String text) {
        return MutableMessage.newBuilder().payload(utf8(text)).build();
    }

    /** @return the UTF-8 bytes of {@code text} */
    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
