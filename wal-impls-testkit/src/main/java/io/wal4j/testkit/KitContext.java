package io.wal4j.testkit;

import static io.wal4j.testkit.KitAssertions.appendAndWait;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.WALImpls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What one test of the kit works with: the backend's builder, capabilities and a fresh opener, a pool of named kit
 * threads, unique channel names, and the threads that were alive before the opener was built (for the leak check).
 * Built before each test, closed after it. Confined to the test's thread, except {@link #pool()}.
 */
final class KitContext {

    private final OpenerBuilderImpls builder;
    private final Capabilities capabilities;
    private final Set<Thread> threadsBeforeBuild;
    private final ExecutorService pool;
    private final OpenerImpls opener;
    private int channels;

    private KitContext(OpenerBuilderImpls builder, Capabilities capabilities, Set<Thread> threadsBeforeBuild,
                       ExecutorService pool, OpenerImpls opener) {
        this.builder = builder;
        this.capabilities = capabilities;
        this.threadsBeforeBuild = threadsBeforeBuild;
        this.pool = pool;
        this.opener = opener;
    }

    /**
     * Builds an opener of {@code builder} with {@code config}, checking that nothing on the way is null. The kit's
     * capabilities are the opener's ({@link OpenerImpls#capabilities()}) when it reports its own, which must differ
     * from the builder's in {@code maxMessageBytes} only; the builder's otherwise. So the size-limit check runs
     * against the limit the configuration set.
     */
    static KitContext open(OpenerBuilderImpls builder, WALConfig config) {
        assertThat(builder).as("newBuilder()").isNotNull();
        Capabilities capabilities = builder.capabilities();
        assertThat(capabilities).as("OpenerBuilderImpls.capabilities()").isNotNull();
        Set<Thread> before = KitThreads.liveThreads();
        OpenerImpls opener = builder.build(config);
        assertThat(opener).as("OpenerBuilderImpls.build(config())").isNotNull();
        try {
            return new KitContext(builder, openerCapabilities(opener, capabilities), before,
                    KitThreads.newPool("worker"), opener);
        } catch (RuntimeException | AssertionError e) {
            opener.close();
            throw e;
        }
    }

    private static Capabilities openerCapabilities(OpenerImpls opener, Capabilities ofBuilder) {
        Optional<Capabilities> own = opener.capabilities();
        assertThat(own).as("OpenerImpls.capabilities()").isNotNull();
        if (own.isEmpty()) {
            return ofBuilder;
        }
        assertThat(own.get().withMaxMessageBytes(ofBuilder.maxMessageBytes()))
                .as("OpenerImpls.capabilities() may differ from the builder's in maxMessageBytes only")
                .isEqualTo(ofBuilder);
        return own.get();
    }

    OpenerBuilderImpls builder() {
        return builder;
    }

    Capabilities capabilities() {
        return capabilities;
    }

    OpenerImpls opener() {
        return opener;
    }

    ExecutorService pool() {
        return pool;
    }

    /** @return the threads alive just before the opener was built */
    Set<Thread> threadsBeforeBuild() {
        return threadsBeforeBuild;
    }

    /** @return the level the kit appends at: the backend's default */
    Durability durability() {
        return capabilities.defaultDurability();
    }

    /** @return a channel name unique to this test, {@code test_<i>_<random letters>} */
    String newChannel() {
        StringBuilder name = new StringBuilder("test_").append(channels++).append('_');
        for (int i = 0; i < 6; i++) {
            name.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return name.toString();
    }

    /** Opens {@code channel} for writing at {@code term}; the WAL must not be null. */
    WALImpls openWriter(String channel, long term) {
        WALImpls wal = opener.open(OpenOption.readWrite(channel, term));
        assertThat(wal).as("open(%s rw @%d)", channel, term).isNotNull();
        return wal;
    }

    /** Appends {@code count} distinct messages one after another; returns them as they must read back. */
    List<ImmutableMessage> appendPlain(WALImpls wal, int count) {
        List<ImmutableMessage> written = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MutableMessage message = MutableMessage.newBuilder()
                    .payload(TestMessages.utf8(wal.channel() + "#" + i + "/" + ThreadLocalRandom.current().nextLong()))
                    .property("i", Integer.toString(i)).build();
            written.add(message.copy().toImmutable(appendAndWait(wal, message, durability())));
        }
        return written;
    }

    /** Closes the opener (idempotent, so a test may have closed it already) and stops the kit's threads. */
    void close() throws InterruptedException {
        opener.close();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(KitAssertions.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .as("the kit's worker threads end once the opener is closed").isTrue();
    }
}
