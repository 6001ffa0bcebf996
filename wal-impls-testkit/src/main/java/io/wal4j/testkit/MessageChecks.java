package io.wal4j.testkit;

import static io.wal4j.testkit.KitAssertions.TIMEOUT;
import static io.wal4j.testkit.KitAssertions.append;
import static io.wal4j.testkit.KitAssertions.appendAndWait;
import static io.wal4j.testkit.KitAssertions.assertSameMessages;
import static io.wal4j.testkit.KitAssertions.await;
import static io.wal4j.testkit.KitAssertions.ids;
import static io.wal4j.testkit.KitAssertions.openScanner;
import static io.wal4j.testkit.KitAssertions.option;
import static io.wal4j.testkit.KitAssertions.readExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Checks of names, ids and message contents: what goes in comes out, under the ids the backend promised. */
final class MessageChecks {

    private final KitContext kit;

    MessageChecks(KitContext kit) {
        this.kit = kit;
    }

    void builderNameCodecAndCapabilitiesAgree() {
        OpenerBuilderImpls builder = kit.builder();
        assertThat(builder.name()).as("OpenerBuilderImpls.name()").matches(OpenerBuilderImpls.VALID_NAME);
        MessageIdCodec codec = builder.messageIdCodec();
        assertThat(codec).as("OpenerBuilderImpls.messageIdCodec()").isNotNull();
        assertThat(codec.walName()).as("the codec's walName").isEqualTo(builder.name());
        assertThat(kit.capabilities().supports(kit.durability())).as("the default durability is supported").isTrue();
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            assertThat(wal.walName()).as("WALImpls.walName()").isEqualTo(builder.name());
        }
    }

    void idsRoundTripThroughTheCodecAndRefuseComparisonWithAnotherBackendsIds() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            List<MessageId> written = ids(kit.appendPlain(wal, 3));
            for (MessageId id : written) {
                assertThat(id.walName()).as("walName of %s", id).isEqualTo(kit.builder().name());
                assertThat(id.toString()).as("printable form of an id").isNotBlank();
                MessageId decoded = kit.builder().messageIdCodec().unmarshal(id.marshal());
                assertThat(decoded).as("unmarshal(marshal(%s))", id).isEqualTo(id).hasSameHashCodeAs(id);
                assertThat(decoded.compareTo(id)).as("compareTo of equal ids").isZero();
                assertThatThrownBy(() -> id.compareTo(new ForeignMessageId(1)))
                        .as("comparing %s with another backend's id", id)
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> id.compareTo(null)).as("%s.compareTo(null)", id)
                        .isInstanceOf(NullPointerException.class);
            }
            assertThat(written.get(0).isBefore(written.get(1))).isTrue();
            assertThat(written.get(1).isBefore(written.get(2))).isTrue();
            assertThat(written.get(2).isBefore(written.get(0))).isFalse();
        }
    }

    void scannerNameEqualsTheReadOptionName() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1);
             ScannerImpls scanner = wal.read(option("a-scanner-name", DeliverPolicy.all()))) {
            assertThat(scanner.name()).isEqualTo("a-scanner-name");
        }
    }

    void writerChannelEqualsTheOpenOption() {
        String channel = kit.newChannel();
        try (WALImpls wal = kit.opener().open(OpenOption.readWrite(channel, 7))) {
            assertThat(wal.channel()).isEqualTo(PChannelInfo.readWrite(channel, 7));
        }
    }

    /**
     * Several threads append with several appends in flight each; every append is stamped from one clock when it is
     * called and (in a callback, so strictly after) when it completed. Whenever A completed before B was called, A's
     * id must be the smaller.
     */
    void idsStrictlyIncreaseInCompletionOrderUnderConcurrentAppends() {
        int threads = 4;
        int perThread = 50;
        AtomicLong clock = new AtomicLong();
        ConcurrentLinkedQueue<Timed> timed = new ConcurrentLinkedQueue<>();
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = t + "/";
                writers.add(kit.pool().submit(() -> {
                    start.await();
                    appendTimed(wal, prefix, perThread, clock, timed);
                    return null;
                }));
            }
            start.countDown();
            writers.forEach(w -> await(w, "concurrent writer"));
            List<Timed> all = new ArrayList<>(timed);
            assertThat(new HashSet<>(all.stream().map(Timed::id).toList())).as("distinct ids").hasSize(all.size());
            assertCompletionOrder(all);
            List<MessageId> sorted = all.stream().map(Timed::id).sorted().toList();
            try (ScannerImpls scanner = openScanner(wal, "all-after-concurrent", DeliverPolicy.all())) {
                assertThat(ids(readExactly(scanner, all.size(), "all() after concurrent appends")))
                        .as("an all() reader delivers every acknowledged id in id order")
                        .containsExactlyElementsOf(sorted);
            }
        }
    }

    private record Timed(long calledAt, long completedAt, MessageId id) {
    }

    private void appendTimed(WALImpls wal, String prefix, int count, AtomicLong clock,
                             ConcurrentLinkedQueue<Timed> out) throws InterruptedException {
        Semaphore inFlight = new Semaphore(4);
        List<CompletableFuture<Timed>> mine = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertThat(inFlight.tryAcquire(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("an append in flight completed within %s", TIMEOUT).isTrue();
            long calledAt = clock.incrementAndGet();
            CompletableFuture<MessageId> id = append(wal, TestMessages.plain(prefix + i), kit.durability());
            mine.add(id.handle((assigned, failure) -> {
                long completedAt = clock.incrementAndGet();
                inFlight.release();
                if (failure != null) {
                    throw new AssertionError("concurrent append failed", failure);
                }
                return new Timed(calledAt, completedAt, assigned);
            }));
        }
        mine.forEach(f -> out.add(await(f, "concurrent append")));
    }

    private static void assertCompletionOrder(List<Timed> all) {
        List<Timed> byCompletion = all.stream().sorted(Comparator.comparingLong(Timed::completedAt)).toList();
        List<Timed> byCall = all.stream().sorted(Comparator.comparingLong(Timed::calledAt)).toList();
        int completed = 0;
        MessageId largestCompleted = null;
        for (Timed later : byCall) {
            while (completed < byCompletion.size() && byCompletion.get(completed).completedAt() < later.calledAt()) {
                MessageId candidate = byCompletion.get(completed++).id();
                if (largestCompleted == null || candidate.compareTo(largestCompleted) > 0) {
                    largestCompleted = candidate;
                }
            }
            if (largestCompleted != null) {
                assertThat(largestCompleted).as("id of an append that completed before the append that got %s was"
                        + " called", later.id()).isLessThan(later.id());
            }
        }
    }

    void propertiesAndPayloadsRoundTripExactlyIncludingReservedOnes() {
        List<MutableMessage> messages = List.of(
                MutableMessage.newBuilder().build(),
                MutableMessage.newBuilder().payload(allByteValues())
                        .property("id", "1").property("empty", "").property("unicode", "ünï 日本 🙂 \u0000 \n")
                        .property("spaces and = signs", "a=b; c,d:e").property("long", "x".repeat(10_000))
                        .messageType(MessageType.of("testkit.insert")).vchannel("v1").build()
                        .withTimeTick(42).withTerm(7).withLastConfirmedSelf()
                        .withReservedProperty("_testkit", "reserved value"),
                MutableMessage.newBuilder().payload(new byte[] {0, 0, 0}).messageType(MessageType.TIME_TICK)
                        .vchannel("v2").build().withTimeTick(Long.MAX_VALUE));
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            List<ImmutableMessage> expected = new ArrayList<>();
            for (MutableMessage message : messages) {
                MutableMessage copy = message.copy();
                expected.add(copy.toImmutable(appendAndWait(wal, message, kit.durability())));
            }
            try (ScannerImpls scanner = openScanner(wal, "round-trip", DeliverPolicy.all())) {
                assertSameMessages(readExactly(scanner, expected.size(), "round trip"), expected,
                        "messages read back");
            }
        }
    }

    void changingAMessageAfterItsAppendCompletedDoesNotChangeWhatIsStored() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            MutableMessage message = MutableMessage.newBuilder().payload(TestMessages.utf8("kept"))
                    .property("k", "v").build();
            MutableMessage expected = message.copy();
            MessageId id = appendAndWait(wal, message, kit.durability());
            message.withReservedProperty("_changed", "after the append").withTimeTick(1);
            try (ScannerImpls scanner = openScanner(wal, "ownership", DeliverPolicy.all())) {
                assertSameMessages(readExactly(scanner, 1, "ownership"), List.of(expected.toImmutable(id)),
                        "a message changed by its owner after the append completed");
            }
        }
    }

    void appendSucceedsAtEverySupportedDurability() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            List<ImmutableMessage> expected = new ArrayList<>();
            for (Durability level : EnumSet.copyOf(kit.capabilities().durabilities())) {
                MutableMessage message = TestMessages.plain("durability " + level);
                expected.add(message.copy().toImmutable(appendAndWait(wal, message, level)));
            }
            try (ScannerImpls scanner = openScanner(wal, "durabilities", DeliverPolicy.all())) {
                assertSameMessages(readExactly(scanner, expected.size(), "durabilities"), expected,
                        "one message per supported durability level");
            }
        }
    }

    private static byte[] allByteValues() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
