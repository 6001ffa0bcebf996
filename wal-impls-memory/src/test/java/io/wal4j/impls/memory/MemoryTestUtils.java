package io.wal4j.impls.memory;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ReadOptionImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Shared helpers of the memory backend's tests. */
final class MemoryTestUtils {

    /** How long a test waits for something that should happen at once; only reached when the code is broken. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private MemoryTestUtils() {
    }

    /** @return an opener on the default store of {@code builder} */
    static OpenerImpls opener(MemoryOpenerBuilder builder) {
        return builder.build(WALConfig.empty());
    }

    /** @return an opener on the named store of {@code builder} */
    static OpenerImpls opener(MemoryOpenerBuilder builder, String store) {
        return builder.build(WALConfig.empty().with("wal.memory.store", store));
    }

    static WALImpls openRW(OpenerImpls opener, String channel, long term) {
        return opener.open(OpenOption.readWrite(channel, term));
    }

    /** @return a message whose payload is {@code "m<n>"} and whose property "n" is {@code n} */
    static MutableMessage message(long n) {
        return MutableMessage.newBuilder().payload(("m" + n).getBytes(StandardCharsets.UTF_8))
                .property("n", Long.toString(n)).property("const", "t").build();
    }

    /** Appends and waits for the id. */
    static MessageId append(WALImpls wal, long n) {
        return get(wal.append(message(n), Durability.MEMORY));
    }

    static ScannerImpls read(ReadOnlyWALImpls wal, String name, DeliverPolicy policy) {
        return wal.read(new ReadOptionImpls(name, policy, 16));
    }

    /** Takes exactly {@code count} messages, each within {@link #PATIENCE}. */
    static List<ImmutableMessage> take(ScannerImpls scanner, int count) {
        List<ImmutableMessage> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ImmutableMessage m = scanner.poll(PATIENCE);
            if (m == null) {
                throw new AssertionError("only " + i + " of " + count + " messages arrived on " + scanner.name());
            }
            out.add(m);
        }
        return out;
    }

    /** @return every acknowledged message of the channel, read by a fresh {@code all()} scanner */
    static List<ImmutableMessage> readAll(ReadOnlyWALImpls wal) {
        try (ScannerImpls scanner = read(wal, "read-all", DeliverPolicy.all())) {
            List<ImmutableMessage> out = new ArrayList<>();
            for (ImmutableMessage m = scanner.poll(Duration.ZERO); m != null; m = scanner.poll(Duration.ZERO)) {
                out.add(m);
            }
            return out;
        }
    }

    static long offset(MessageId id) {
        return ((MemoryMessageId) id).offset();
    }

    static long n(ImmutableMessage m) {
        return Long.parseLong(m.property("n"));
    }

    /** Waits for a future that should complete; rethrows its failure unwrapped. */
    static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError("future did not complete within " + PATIENCE, e);
        }
    }

    /** @return the failure of a future that should fail */
    static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError("future did not complete within " + PATIENCE, e);
        }
        throw new AssertionError("future completed normally with " + future.join());
    }

    /** A message id of another backend, for misuse tests. */
    record ForeignId(long value) implements MessageId {
        @Override
        public String walName() {
            return "foreign";
        }

        @Override
        public byte[] marshal() {
            return new byte[8];
        }

        @Override
        public int compareTo(MessageId other) {
            return Long.compare(value, ((ForeignId) other).value);
        }

        @Override
        public String toString() {
            return "foreign:" + value;
        }
    }
}
