package io.wal4j.testkit;

import static io.wal4j.testkit.KitAssertions.QUIET;
import static io.wal4j.testkit.KitAssertions.TIMEOUT;
import static io.wal4j.testkit.KitAssertions.append;
import static io.wal4j.testkit.KitAssertions.appendAndWait;
import static io.wal4j.testkit.KitAssertions.assertSameMessages;
import static io.wal4j.testkit.KitAssertions.assertStrictlyAscending;
import static io.wal4j.testkit.KitAssertions.assertSuffix;
import static io.wal4j.testkit.KitAssertions.await;
import static io.wal4j.testkit.KitAssertions.openScanner;
import static io.wal4j.testkit.KitAssertions.readExactly;
import static io.wal4j.testkit.KitAssertions.readUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Milvus walimpls test framework (reference §4) for one channel: for terms 1, 2 and 3 open the writer, write
 * with bounded parallelism while two {@code all()} readers (one started before, one during the writes) follow, check
 * both saw exactly everything written so far, check {@code startFrom}, {@code startAfter} and {@code latest}, close,
 * then read the channel through a read-only WAL; finally append, truncate, and reopen at term 4.
 *
 * <p>One instance per channel, run on one thread; several instances run at once on the same opener. The list of
 * written messages is cumulative across terms, so data of earlier terms must stay readable.
 */
final class MilvusFrameworkRun {

    /** The Milvus framework's bound on appends in flight. */
    static final int MAX_IN_FLIGHT = 5;
    private static final int TERMS = 3;

    private final OpenerImpls opener;
    private final String channel;
    private final int messageCount;
    private final Durability durability;
    private final boolean readOnly;
    private final boolean exactTruncation;
    private final ExecutorService pool;
    private final List<ImmutableMessage> written = new ArrayList<>();

    /**
     * @param messageCount    messages per term, the marker included; at least 2
     * @param readOnly        whether the backend supports read-only WALs (the read-only path runs only then)
     * @param exactTruncation whether truncated ids must be gone for an {@code all()} reader
     */
    MilvusFrameworkRun(OpenerImpls opener, String channel, int messageCount, Durability durability, boolean readOnly,
                       boolean exactTruncation, ExecutorService pool) {
        if (messageCount < 2) {
            throw new IllegalArgumentException("messageCount must be >= 2 (data plus the term marker), got "
                    + messageCount);
        }
        this.opener = opener;
        this.channel = channel;
        this.messageCount = messageCount;
        this.durability = durability;
        this.readOnly = readOnly;
        this.exactTruncation = exactTruncation;
        this.pool = pool;
    }

    /** Runs every term, then the truncate-and-reopen step; throws {@link AssertionError} on the first violation. */
    void run() throws InterruptedException {
        for (long term = 1; term <= TERMS; term++) {
            runTerm(term);
        }
        truncateThenReopen(TERMS + 1);
    }

    private void runTerm(long term) throws InterruptedException {
        try (WALImpls wal = openWriter(term)) {
            readAndWrite(wal, term);
            checkStartFrom(wal);
            checkStartAfter(wal);
            checkLatest(wal);
        }
        if (readOnly) {
            checkReadOnly(term);
        }
    }

    private WALImpls openWriter(long term) {
        WALImpls wal = opener.open(OpenOption.readWrite(channel, term));
        assertThat(wal).as("open(%s rw @%d)", channel, term).isNotNull();
        assertThat(wal.channel()).as("WALImpls.channel() of %s at term %d", channel, term)
                .isEqualTo(PChannelInfo.readWrite(channel, term));
        return wal;
    }

    private void readAndWrite(WALImpls wal, long term) throws InterruptedException {
        int expected = written.size() + messageCount;
        CountDownLatch halfWritten = new CountDownLatch(1);
        try (ScannerImpls before = openScanner(wal, "scanner1", DeliverPolicy.all())) {
            Future<List<ImmutableMessage>> firstReader = pool.submit(() -> readTerm(before, term, expected));
            Future<List<ImmutableMessage>> writer = pool.submit(() -> writeTerm(wal, term, halfWritten));
            if (!halfWritten.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(channel + "@" + term + ": half the appends did not complete within "
                        + TIMEOUT);
            }
            try (ScannerImpls during = openScanner(wal, "scanner2", DeliverPolicy.all())) {
                Future<List<ImmutableMessage>> secondReader = pool.submit(() -> readTerm(during, term, expected));
                List<ImmutableMessage> appended = await(writer, channel + "@" + term + " writer");
                written.addAll(appended);
                assertStrictlyAscending(written, channel + ": every message written up to term " + term);
                checkReader(await(firstReader, "scanner1 (started before the writes)"), term, "scanner1");
                checkReader(await(secondReader, "scanner2 (started during the writes)"), term, "scanner2");
            }
        }
    }

    /** Appends {@code messageCount - 1} data messages, at most five in flight, then the term marker. */
    private List<ImmutableMessage> writeTerm(WALImpls wal, long term, CountDownLatch halfWritten)
            throws InterruptedException {
        int bulk = messageCount - 1;
        int half = Math.max(1, bulk / 2);
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicInteger completed = new AtomicInteger();
        List<CompletableFuture<ImmutableMessage>> pending = new ArrayList<>(bulk);
        try {
            for (int i = 0; i < bulk; i++) {
                if (!inFlight.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(channel + "@" + term + ": no append of the " + MAX_IN_FLIGHT
                            + " in flight completed within " + TIMEOUT);
                }
                MutableMessage message = TestMessages.data(channel, term, i);
                MutableMessage expected = message.copy();
                CompletableFuture<MessageId> id = append(wal, message, durability);
                id.whenComplete((ignored, failure) -> {
                    inFlight.release();
                    if (completed.incrementAndGet() == half) {
                        halfWritten.countDown();
                    }
                });
                pending.add(id.thenApply(assigned -> expected.toImmutable(assigned)));
            }
            List<ImmutableMessage> appended = new ArrayList<>(messageCount);
            for (CompletableFuture<ImmutableMessage> message : pending) {
                appended.add(await(message, channel + "@" + term + " append"));
            }
            appended.sort(Comparator.comparing(ImmutableMessage::id));
            assertStrictlyAscending(appended, channel + "@" + term + ": ids of concurrent appends");
            MutableMessage marker = TestMessages.marker(channel, term, bulk);
            MutableMessage expectedMarker = marker.copy();
            appended.add(expectedMarker.toImmutable(appendAndWait(wal, marker, durability)));
            return appended;
        } finally {
            halfWritten.countDown();
        }
    }

    private List<ImmutableMessage> readTerm(ScannerImpls scanner, long term, int expected) {
        String marker = Long.toString(term);
        return readUntil(scanner, m -> marker.equals(m.property(TestMessages.TERM)), expected,
                channel + " " + scanner.name() + " at term " + term);
    }

    private void checkReader(List<ImmutableMessage> read, long term, String reader) {
        String what = channel + " " + reader + " at term " + term;
        assertStrictlyAscending(read, what);
        assertSameMessages(read, written, what + " (must see every message of this and earlier terms)");
    }

    private void checkStartFrom(WALImpls wal) {
        int middle = written.size() / 2;
        try (ScannerImpls scanner = openScanner(wal, "scanner_deliver_start_from",
                DeliverPolicy.startFrom(written.get(middle).id()))) {
            List<ImmutableMessage> tail = written.subList(middle, written.size());
            assertSameMessages(readExactly(scanner, tail.size(), channel + " startFrom"), tail,
                    channel + " startFrom(" + written.get(middle).id() + ")");
        }
    }

    private void checkStartAfter(WALImpls wal) {
        int middle = written.size() / 2;
        try (ScannerImpls scanner = openScanner(wal, "scanner_deliver_start_after",
                DeliverPolicy.startAfter(written.get(middle).id()))) {
            List<ImmutableMessage> tail = written.subList(middle + 1, written.size());
            assertSameMessages(readExactly(scanner, tail.size(), channel + " startAfter"), tail,
                    channel + " startAfter(" + written.get(middle).id() + ")");
        }
    }

    /** The one timed wait of the kit: {@code latest} must not redeliver the last message. */
    private void checkLatest(WALImpls wal) {
        try (ScannerImpls scanner = openScanner(wal, "scanner_deliver_latest", DeliverPolicy.latest())) {
            assertThat(scanner.poll(QUIET)).as("%s: a latest() scanner delivered a message although nothing was"
                    + " appended after it was created", channel).isNull();
        }
    }

    private void checkReadOnly(long term) {
        try (ReadOnlyWALImpls ro = opener.openReadOnly(OpenOption.readOnly(channel, term))) {
            assertThat(ro).as("openReadOnly(%s @%d)", channel, term).isNotNull();
            assertThat(ro.channel()).isEqualTo(PChannelInfo.readOnly(channel, term));
            KitAssertions.assertRefusesWrites(ro, written.get(0).id(), durability);
            try (ScannerImpls scanner = openScanner(ro, "scanner_read_only", DeliverPolicy.all())) {
                assertSameMessages(readExactly(scanner, written.size(), channel + " read-only scanner"), written,
                        channel + " read through a read-only WAL at term " + term);
            }
        }
    }

    private void truncateThenReopen(long term) {
        MessageId truncatedAt;
        try (WALImpls wal = openWriter(term)) {
            MutableMessage empty = MutableMessage.newBuilder().build();
            truncatedAt = appendAndWait(wal, empty, durability);
            written.add(MutableMessage.newBuilder().build().toImmutable(truncatedAt));
            await(KitAssertions.truncate(wal, truncatedAt), channel + " truncate(" + truncatedAt + ")");
        }
        try (WALImpls wal = openWriter(term)) {
            MutableMessage marker = TestMessages.marker(channel, term, 0);
            MutableMessage expected = marker.copy();
            MessageId markerId = appendAndWait(wal, marker, durability);
            assertThat(markerId).as("%s: the first id after truncate and reopen", channel).isGreaterThan(truncatedAt);
            written.add(expected.toImmutable(markerId));
            try (ScannerImpls scanner = openScanner(wal, "scanner_after_truncate", DeliverPolicy.all())) {
                String wanted = Long.toString(term);
                List<ImmutableMessage> read = readUntil(scanner, m -> wanted.equals(m.property(TestMessages.TERM)),
                        written.size(), channel + " all() after truncate and reopen");
                assertSuffix(read, written, channel + " all() after truncate(" + truncatedAt + ") and reopen");
                if (exactTruncation) {
                    assertThat(KitAssertions.ids(read)).as("%s: ids an all() reader sees after truncate(%s)",
                            channel, truncatedAt).containsExactly(markerId);
                }
            }
        }
    }
}
