package io.wal4j.api.message;

import io.wal4j.api.InvalidMessageIdException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process-wide registry of {@link MessageIdCodec}s, so that any code can decode an id knowing only the backend
 * name. Codecs arrive by {@link #register} (the backend registry calls it for each builder) and, lazily on the first
 * lookup of an unknown name, from {@link ServiceLoader}. Thread-safe.
 */
public final class MessageIds {

    private static final Map<String, MessageIdCodec> CODECS = new ConcurrentHashMap<>();
    private static final int MAX_PROVIDER_ENTRIES = 10_000;
    private static volatile boolean serviceLoaderScanned;

    private MessageIds() {
    }

    /**
     * Registers a codec. Registering the same instance or another instance of the same class again is a no-op.
     *
     * @throws NullPointerException     if {@code codec} is null
     * @throws IllegalArgumentException if a codec of another class is registered under the same name
     */
    public static void register(MessageIdCodec codec) {
        Objects.requireNonNull(codec, "codec");
        MessageIdCodec existing = CODECS.putIfAbsent(codec.walName(), codec);
        if (existing != null && existing.getClass() != codec.getClass()) {
            throw new IllegalArgumentException("a message id codec for \"" + codec.walName() + "\" is already "
                    + "registered: " + existing.getClass().getName() + ", refusing " + codec.getClass().getName());
        }
    }

    /**
     * Decodes an id.
     *
     * @throws NullPointerException      if an argument is null
     * @throws InvalidMessageIdException if no codec is known for {@code walName} or the bytes are invalid
     */
    public static MessageId unmarshal(String walName, byte[] bytes) {
        Objects.requireNonNull(walName, "walName");
        Objects.requireNonNull(bytes, "bytes");
        return codec(walName).unmarshal(bytes);
    }

    /** @return the id as URL-safe Base64 text, the form stored in message properties */
    public static String toText(MessageId id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.marshal());
    }

    /**
     * Decodes the text form of {@link #toText}.
     *
     * @throws InvalidMessageIdException if the text is not Base64 or not a valid id
     */
    public static MessageId fromText(String walName, String text) {
        Objects.requireNonNull(text, "text");
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageIdException("\"" + text + "\" is not a Base64 message id of " + walName, e);
        }
        return unmarshal(walName, bytes);
    }

    private static MessageIdCodec codec(String walName) {
        MessageIdCodec codec = CODECS.get(walName);
        if (codec == null && !serviceLoaderScanned) {
            scanServiceLoader();
            codec = CODECS.get(walName);
        }
        if (codec == null) {
            throw new InvalidMessageIdException("no message id codec registered for backend \"" + walName
                    + "\"; known: " + new TreeSet<>(CODECS.keySet()));
        }
        return codec;
    }

    private static synchronized void scanServiceLoader() {
        if (serviceLoaderScanned) {
            return;
        }
        try {
            Iterator<MessageIdCodec> codecs = ServiceLoader.load(MessageIdCodec.class).iterator();
            // Bounded: an iterator that kept failing on the same entry must not hang the lookup.
            for (int entries = 0; entries < MAX_PROVIDER_ENTRIES; entries++) {
                try {
                    if (!codecs.hasNext()) {
                        break;
                    }
                    MessageIdCodec codec = codecs.next();
                    CODECS.putIfAbsent(codec.walName(), codec);
                } catch (ServiceConfigurationError | RuntimeException e) {
                    // A broken provider entry (a missing class, a throwing constructor) must not hide the others:
                    // the iterator goes on with the next entry, and a lookup reports the broken name as unknown.
                }
            }
        } finally {
            serviceLoaderScanned = true;
        }
    }
}
