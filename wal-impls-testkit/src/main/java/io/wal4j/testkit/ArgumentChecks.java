package io.wal4j.testkit;

import static io.wal4j.testkit.KitAssertions.append;
import static io.wal4j.testkit.KitAssertions.appendAndWait;
import static io.wal4j.testkit.KitAssertions.assertSameMessages;
import static io.wal4j.testkit.KitAssertions.failureOf;
import static io.wal4j.testkit.KitAssertions.openScanner;
import static io.wal4j.testkit.KitAssertions.option;
import static io.wal4j.testkit.KitAssertions.readExactly;
import static io.wal4j.testkit.KitAssertions.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.Durability;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks of misuse: each bad argument gets its documented exception (thrown, or as the failed future of an
 * asynchronous call), and a refused call stores and drops nothing.
 */
final class ArgumentChecks {

    /** The largest message the kit allocates to test the size limit. */
    static final long MAX_ALLOCATED_MESSAGE = 64L << 20;

    private final KitContext kit;

    ArgumentChecks(KitContext kit) {
        this.kit = kit;
    }

    void nullArgumentsFailWithNullPointerException() {
        assertThatThrownBy(() -> kit.opener().open(null)).as("open(null)").isInstanceOf(NullPointerException.class);
        if (kit.capabilities().readOnly()) {
            assertThatThrownBy(() -> kit.opener().openReadOnly(null)).as("openReadOnly(null)")
                    .isInstanceOf(NullPointerException.class);
        }
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            assertThat(failureOf(append(wal, null, kit.durability()), "append(null, level)"))
                    .isInstanceOf(NullPointerException.class);
            assertThat(failureOf(append(wal, TestMessages.plain("no level"), null), "append(message, null)"))
                    .isInstanceOf(NullPointerException.class);
            assertThat(failureOf(truncate(wal, null), "truncate(null)")).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> wal.read(null)).as("read(null)").isInstanceOf(NullPointerException.class);
            assertStoresOnlyWhatFollows(wal, "refused null arguments stored nothing");
        }
    }

    void openingWithAReadOnlyOptionFailsWithIllegalArgumentException() {
        String channel = kit.newChannel();
        assertThatThrownBy(() -> kit.opener().open(OpenOption.readOnly(channel, 1)).close())
                .as("open(a read-only option)").isInstanceOf(IllegalArgumentException.class);
    }

    void anUnsupportedDurabilityFailsTheAppendWithIllegalArgumentException() {
        EnumSet<Durability> unsupported = EnumSet.complementOf(EnumSet.copyOf(kit.capabilities().durabilities()));
        Assumptions.assumeFalse(unsupported.isEmpty(),
                "capabilities().durabilities() holds every level: no unsupported level to refuse");
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            for (Durability level : unsupported) {
                assertThat(failureOf(append(wal, TestMessages.plain("at " + level), level), "append at " + level))
                        .as("append at unsupported level %s", level).isInstanceOf(IllegalArgumentException.class);
            }
            assertStoresOnlyWhatFollows(wal, "appends refused for their durability stored nothing");
        }
    }

    /**
     * The SPI documents {@link InvalidMessageIdException}; {@link IllegalArgumentException} is accepted too, being
     * what {@link MessageId#compareTo} throws for another backend's id.
     */
    void anotherBackendsMessageIdIsRefused() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            List<ImmutableMessage> written = kit.appendPlain(wal, 2);
            MessageId foreign = new ForeignMessageId(0);
            for (DeliverPolicy policy : List.of(DeliverPolicy.startFrom(foreign), DeliverPolicy.startAfter(foreign))) {
                Throwable thrown = catchThrowable(() -> wal.read(option("foreign", policy)).close());
                assertThat(thrown).as("read(%s)", policy)
                        .isInstanceOfAny(InvalidMessageIdException.class, IllegalArgumentException.class);
            }
            assertThat(failureOf(truncate(wal, foreign), "truncate(a foreign id)")).as("truncate(%s)", foreign)
                    .isInstanceOfAny(InvalidMessageIdException.class, IllegalArgumentException.class);
            try (ScannerImpls scanner = openScanner(wal, "after-foreign", DeliverPolicy.all())) {
                assertSameMessages(readExactly(scanner, 2, "after a refused truncate"), written,
                        "a refused truncate dropped nothing");
            }
        }
    }

    void aMessageOverTheSizeLimitFailsWithMessageTooLargeExceptionAndIsNotStored() {
        long limit = kit.capabilities().maxMessageBytes();
        Assumptions.assumeTrue(limit < MAX_ALLOCATED_MESSAGE, () -> "capabilities().maxMessageBytes() is " + limit
                + ", too large to allocate a message over it (the kit allocates at most " + MAX_ALLOCATED_MESSAGE
                + " bytes): size-limit checks skipped");
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            MutableMessage over = MutableMessage.newBuilder().payload(new byte[(int) limit + 1]).build();
            Throwable tooLarge = failureOf(append(wal, over, kit.durability()), "append of " + (limit + 1) + " bytes");
            assertThat(tooLarge).isInstanceOf(MessageTooLargeException.class);
            assertThat(((MessageTooLargeException) tooLarge).limit()).as("the limit reported").isEqualTo(limit);
            assertThat(((MessageTooLargeException) tooLarge).size()).as("the size reported").isGreaterThan(limit);

            byte[] payload = new byte[(int) limit];
            Arrays.fill(payload, (byte) 7);
            MutableMessage atLimit = MutableMessage.newBuilder().payload(payload).build();
            List<ImmutableMessage> expected = List.of(atLimit.copy()
                    .toImmutable(appendAndWait(wal, atLimit, kit.durability())));
            try (ScannerImpls scanner = openScanner(wal, "size-limit", DeliverPolicy.all())) {
                assertSameMessages(readExactly(scanner, 1, "after an oversize append"), expected,
                        "a message of exactly maxMessageBytes is stored, the oversize one is not");
            }
        }
    }

    /** Appends one message to a channel that so far saw only refused calls, and checks it is all there is. */
    private void assertStoresOnlyWhatFollows(WALImpls wal, String what) {
        List<ImmutableMessage> written = kit.appendPlain(wal, 1);
        try (ScannerImpls scanner = openScanner(wal, "after-refusals", DeliverPolicy.all())) {
            assertSameMessages(readExactly(scanner, 1, what), written, what);
        }
    }
}
