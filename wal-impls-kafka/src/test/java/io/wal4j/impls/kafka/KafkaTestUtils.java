package io.wal4j.impls.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers shared by this module's tests. */
final class KafkaTestUtils {

    /** How long a test waits for the broker's work. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private KafkaTestUtils() {
    }

    /** @return a channel name no other test uses */
    static String newChannel(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return a message whose payload is {@code text}, with property {@code text=<text>} */
    static MutableMessage message(String text) {
        return MutableMessage.newBuilder().payload(text.getBytes(StandardCharsets.UTF_8)).property("text", text)
                .build();
    }

    /** @return the payload of {@code message} as UTF-8 text */
    static String text(ImmutableMessage message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }

    /** Appends {@code text} and waits for its id. */
    static MessageId append(WALImpls wal, String text) {
        return await(wal.append(message(text), Durability.REPLICATED), "append " + text);
    }

    /** @return the value of {@code future}, waiting at most {@link #TIMEOUT} */
    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + TIMEOUT, e);
        }
    }

    /** @return the failure of {@code future}, which must fail within {@link #TIMEOUT} */
    static Throwable failureOf(CompletableFuture<?> future, String what) {
        try {
            Object value = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError(what + " was expected to fail but completed with " + value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + TIMEOUT, e);
        }
    }

    /** @return a scanner of {@code wal} */
    static ScannerImpls scanner(ReadOnlyWALImpls wal, String name, DeliverPolicy policy) {
        return wal.read(new ReadOptionImpls(name, policy, 128));
    }

    /** @return the next {@code count} messages of {@code scanner}, each within {@link #TIMEOUT} */
    static List<ImmutableMessage> read(ScannerImpls scanner, int count) {
        List<ImmutableMessage> read = new ArrayList<>(count);
        while (read.size() < count) {
            ImmutableMessage message = scanner.poll(TIMEOUT);
            assertThat(message).as("message %d of %d from scanner %s", read.size() + 1, count, scanner.name())
                    .isNotNull();
            read.add(message);
        }
        return read;
    }

    /** @return the payload texts of {@code messages} */
    static List<String> texts(List<ImmutableMessage> messages) {
        return messages.stream().map(KafkaTestUtils::text).toList();
    }

    /** @return the ids of {@code messages} */
    static List<MessageId> ids(List<ImmutableMessage> messages) {
        return messages.stream().map(ImmutableMessage::id).toList();
    }
}
