package io.wal4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Bounded waits and message comparisons shared by the kit's checks. Every wait has a deadline: a backend that hangs
 * fails the check with a message saying what it was waiting for, it never hangs the build.
 */
final class KitAssertions {

    /** The bound on any single wait for the backend (an append, a delivery, a close). Generous: never a sleep. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The bound within which {@code close()} must release a consumer blocked in a scanner. */
    static final Duration RELEASE = Duration.ofSeconds(1);
    /** How long a {@code latest()} scanner must stay silent when nothing is appended: the kit's one expected timeout. */
    static final Duration QUIET = Duration.ofSeconds(1);
    /** How many messages a scanner may prefetch; the value the Milvus framework uses. */
    static final int READ_AHEAD = 128;

    private static final int PAYLOAD_SHOWN_IN_FULL = 4096;

    private KitAssertions() {
    }

    /** @return the value of {@code future}, failing the check if it fails or does not complete within the bound */
    static <T> T await(Future<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + TIMEOUT, e);
        } catch (CancellationException e) {
            throw new AssertionError(what + " was cancelled", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    /** @return the cause {@code future} failed with, failing the check if it succeeds or does not complete in time */
    static Throwable failureOf(Future<?> future, String what) {
        return failureOf(future, TIMEOUT, what);
    }

    /** @return the cause {@code future} failed with within {@code bound}; see {@link #failureOf(Future, String)} */
    static Throwable failureOf(Future<?> future, Duration bound, String what) {
        Object value;
        try {
            value = future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + bound, e);
        } catch (CancellationException e) {
            throw new AssertionError(what + " was cancelled instead of failing", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
        throw new AssertionError(what + " should have failed but succeeded with " + value);
    }

    /** Calls {@link WALImpls#append}, which must return a future (never null) and never throw. */
    static CompletableFuture<MessageId> append(WALImpls wal, MutableMessage message, Durability durability) {
        CompletableFuture<MessageId> future = assertDoesNotThrow(() -> wal.append(message, durability),
                "WALImpls.append must report every failure through its future, never throw");
        assertThat(future).as("the future returned by WALImpls.append").isNotNull();
        return future;
    }

    /** Appends and waits; the id must not be null. */
    static MessageId appendAndWait(WALImpls wal, MutableMessage message, Durability durability) {
        MessageId id = await(append(wal, message, durability), "append of " + message);
        assertThat(id).as("the id of an acknowledged append").isNotNull();
        return id;
    }

    /** Calls {@link WALImpls#truncate}, which must return a future (never null) and never throw. */
    static CompletableFuture<Void> truncate(WALImpls wal, MessageId id) {
        CompletableFuture<Void> future = assertDoesNotThrow(() -> wal.truncate(id),
                "WALImpls.truncate must report every failure through its future, never throw");
        assertThat(future).as("the future returned by WALImpls.truncate").isNotNull();
        return future;
    }

    /**
     * Checks that a read-only WAL refuses writes: either it is not a {@link WALImpls} at all, or its appends and
     * truncates fail their futures with {@link UnsupportedOperationException}.
     *
     * @return whether the WAL offered write methods that had to be checked
     */
    static boolean assertRefusesWrites(ReadOnlyWALImpls readOnly, MessageId existing, Durability durability) {
        if (!(readOnly instanceof WALImpls writable)) {
            return false;
        }
        assertThat(failureOf(append(writable, TestMessages.plain("refused"), durability),
                "append on a read-only WAL")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(failureOf(truncate(writable, existing), "truncate on a read-only WAL"))
                .isInstanceOf(UnsupportedOperationException.class);
        return true;
    }

    /** @return the option the kit reads with */
    static ReadOptionImpls option(String name, DeliverPolicy policy) {
        return new ReadOptionImpls(name, policy, READ_AHEAD);
    }

    /** Opens a scanner and checks it is not null and carries the option's name. */
    static ScannerImpls openScanner(ReadOnlyWALImpls wal, String name, DeliverPolicy policy) {
        ScannerImpls scanner = wal.read(option(name, policy));
        assertThat(scanner).as("the scanner returned by read(%s)", policy).isNotNull();
        try {
            assertThat(scanner.name()).as("ScannerImpls.name() must equal ReadOptionImpls.name()").isEqualTo(name);
        } catch (AssertionError e) {
            scanner.close();
            throw e;
        }
        return scanner;
    }

    /** @return the next {@code count} messages, each within the bound */
    static List<ImmutableMessage> readExactly(ScannerImpls scanner, int count, String what) {
        List<ImmutableMessage> got = new ArrayList<>(count);
        while (got.size() < count) {
            got.add(next(scanner, what, got.size(), count));
        }
        return got;
    }

    /**
     * Reads until a message matching {@code last} arrives, and returns every message read, that one included.
     * Fails when {@code limit} messages arrived without it, so a backend that redelivers cannot loop forever.
     */
    static List<ImmutableMessage> readUntil(ScannerImpls scanner, Predicate<ImmutableMessage> last, int limit,
                                            String what) {
        List<ImmutableMessage> got = new ArrayList<>();
        while (got.size() < limit) {
            ImmutableMessage message = next(scanner, what, got.size(), limit);
            got.add(message);
            if (last.test(message)) {
                return got;
            }
        }
        throw new AssertionError(what + ": " + limit + " messages arrived, the last expected one was not among them;"
                + " ids " + ids(got));
    }

    private static ImmutableMessage next(ScannerImpls scanner, String what, int received, int expected) {
        ImmutableMessage message = scanner.poll(TIMEOUT);
        if (message == null) {
            throw new AssertionError(what + ": no message within " + TIMEOUT + " after " + received + " of "
                    + expected + " expected messages");
        }
        return message;
    }

    /** Fails unless each id is strictly greater than the one before. */
    static void assertStrictlyAscending(List<? extends ImmutableMessage> messages, String what) {
        for (int i = 1; i < messages.size(); i++) {
            MessageId before = messages.get(i - 1).id();
            MessageId after = messages.get(i).id();
            if (before.compareTo(after) >= 0) {
                throw new AssertionError(what + ": ids must be strictly ascending but " + before + " (at " + (i - 1)
                        + ") is not before " + after + " (at " + i + "); ids " + ids(messages));
            }
        }
    }

    /** Fails unless both lists hold the same ids in the same order with equal properties and payloads. */
    static void assertSameMessages(List<ImmutableMessage> actual, List<ImmutableMessage> expected, String what) {
        assertThat(ids(actual)).as("%s: ids", what).containsExactlyElementsOf(ids(expected));
        assertThat(seen(actual)).as("%s: ids, properties and payloads", what).containsExactlyElementsOf(seen(expected));
    }

    /** Fails unless {@code actual} is a non-empty tail of {@code expected}. */
    static void assertSuffix(List<ImmutableMessage> actual, List<ImmutableMessage> expected, String what) {
        assertThat(actual).as("%s: messages delivered", what).isNotEmpty();
        assertThat(actual.size()).as("%s: no more messages than were written", what)
                .isLessThanOrEqualTo(expected.size());
        assertSameMessages(actual, expected.subList(expected.size() - actual.size(), expected.size()), what);
    }

    /** @return the ids of {@code messages}, in order */
    static List<MessageId> ids(List<? extends ImmutableMessage> messages) {
        return messages.stream().map(ImmutableMessage::id).toList();
    }

    private static List<Seen> seen(List<ImmutableMessage> messages) {
        return messages.stream().map(Seen::of).toList();
    }

    /** What the kit compares of a message; large payloads are compared by digest to keep failure output short. */
    private record Seen(MessageId id, Map<String, String> properties, String payload) {
        static Seen of(ImmutableMessage message) {
            byte[] payload = message.payload();
            String shown = payload.length <= PAYLOAD_SHOWN_IN_FULL ? HexFormat.of().formatHex(payload)
                    : payload.length + " bytes, sha-256 " + HexFormat.of().formatHex(sha256(payload));
            return new Seen(message.id(), message.properties(), shown);
        }

        private static byte[] sha256(byte[] bytes) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK provides SHA-256", e);
            }
        }
    }
}
