package io.wal4j.testkit;

import static io.wal4j.testkit.KitAssertions.append;
import static io.wal4j.testkit.KitAssertions.appendAndWait;
import static io.wal4j.testkit.KitAssertions.assertSameMessages;
import static io.wal4j.testkit.KitAssertions.assertStrictlyAscending;
import static io.wal4j.testkit.KitAssertions.assertSuffix;
import static io.wal4j.testkit.KitAssertions.await;
import static io.wal4j.testkit.KitAssertions.failureOf;
import static io.wal4j.testkit.KitAssertions.ids;
import static io.wal4j.testkit.KitAssertions.openScanner;
import static io.wal4j.testkit.KitAssertions.readExactly;
import static io.wal4j.testkit.KitAssertions.readUntil;
import static io.wal4j.testkit.KitAssertions.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.api.OpenOption;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.spi.ReadOnlyWALImpls;
import io.wal4j.spi.ScannerImpls;
import io.wal4j.spi.WALImpls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Checks of a channel's life: terms, read positions, read-only WALs, truncation and fencing. */
final class ChannelChecks {

    private final KitContext kit;

    ChannelChecks(KitContext kit) {
        this.kit = kit;
    }

    void dataOfEarlierTermsStaysReadableAfterReopeningAtANewerTerm() {
        String channel = kit.newChannel();
        List<ImmutableMessage> expected = new ArrayList<>();
        for (long term = 1; term <= 3; term++) {
            try (WALImpls wal = kit.openWriter(channel, term)) {
                for (int i = 0; i < 2; i++) {
                    MutableMessage message = TestMessages.data(channel, term, i);
                    expected.add(message.copy().toImmutable(appendAndWait(wal, message, kit.durability())));
                }
                try (ScannerImpls scanner = openScanner(wal, "terms-" + term, DeliverPolicy.all())) {
                    assertSameMessages(readExactly(scanner, expected.size(), "all() at term " + term), expected,
                            "every message of terms 1.." + term);
                }
            }
        }
        assertStrictlyAscending(expected, "ids across terms");
    }

    void startFromAndStartAfterPositionAtTheGivenId() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            List<ImmutableMessage> written = kit.appendPlain(wal, 10);
            MessageId middle = written.get(4).id();
            try (ScannerImpls from = openScanner(wal, "from", DeliverPolicy.startFrom(middle))) {
                assertSameMessages(readExactly(from, 6, "startFrom"), written.subList(4, 10),
                        "startFrom(" + middle + ") is inclusive");
            }
            try (ScannerImpls after = openScanner(wal, "after", DeliverPolicy.startAfter(middle))) {
                assertSameMessages(readExactly(after, 5, "startAfter"), written.subList(5, 10),
                        "startAfter(" + middle + ") is exclusive");
            }
            MessageId last = written.get(9).id();
            try (ScannerImpls afterLast = openScanner(wal, "after-last", DeliverPolicy.startAfter(last))) {
                List<ImmutableMessage> next = kit.appendPlain(wal, 1);
                assertSameMessages(readExactly(afterLast, 1, "startAfter(last)"), next,
                        "startAfter(the last id) delivers only what is appended next");
            }
        }
    }

    void latestDeliversOnlyMessagesAppendedAfterTheScannerWasCreated() {
        try (WALImpls wal = kit.openWriter(kit.newChannel(), 1)) {
            kit.appendPlain(wal, 3);
            try (ScannerImpls latest = openScanner(wal, "latest", DeliverPolicy.latest())) {
                List<ImmutableMessage> after = kit.appendPlain(wal, 2);
                assertSameMessages(readExactly(latest, 2, "latest"), after,
                        "latest() delivers the messages appended after it was created, and only those");
            }
        }
    }

    void readOnlyWALReadsTheChannelAndRefusesWrites() {
        String channel = kit.newChannel();
        List<ImmutableMessage> written;
        try (WALImpls wal = kit.openWriter(channel, 1)) {
            written = kit.appendPlain(wal, 3);
        }
        if (!kit.capabilities().readOnly()) {
            assertThatThrownBy(() -> kit.opener().openReadOnly(OpenOption.readOnly(channel, 1)))
                    .as("openReadOnly on a backend without read-only mode")
                    .isInstanceOf(UnsupportedOperationException.class);
        }
        Assumptions.assumeTrue(kit.capabilities().readOnly(),
                "capabilities().readOnly() is false: read-only WAL checks skipped");
        try (ReadOnlyWALImpls ro = kit.opener().openReadOnly(OpenOption.readOnly(channel, 1))) {
            assertThat(ro).as("openReadOnly").isNotNull();
            assertThat(ro.channel()).isEqualTo(PChannelInfo.readOnly(channel, 1));
            assertThat(ro.walName()).isEqualTo(kit.builder().name());
            KitAssertions.assertRefusesWrites(ro, written.get(0).id(), kit.durability());
            try (ScannerImpls scanner = openScanner(ro, "read-only", DeliverPolicy.all())) {
                assertSameMessages(readExactly(scanner, written.size(), "read-only all()"), written,
                        "a read-only WAL reads everything written, and refused writes changed nothing");
            }
        }
    }

    /** {@link ReadOnlyWALImpls#readLast()}: empty on an empty channel, then the last message, across a reopen. */
    void readLastReturnsTheMessageWithTheLargestIdOrEmptyOnAnEmptyChannel() {
        String channel = kit.newChannel();
        ImmutableMessage last;
        try (WALImpls wal = kit.openWriter(channel, 1)) {
            assertThat(wal.readLast()).as("readLast() of an empty channel").isEmpty();
            List<ImmutableMessage> written = kit.appendPlain(wal, 5);
            last = written.get(written.size() - 1);
            assertSameMessages(List.of(readLast(wal, "readLast() after 5 appends")), List.of(last),
                    "readLast() after 5 appends");
        }
        WALImpls reopened = kit.openWriter(channel, 2);
        try {
            assertSameMessages(List.of(readLast(reopened, "readLast() after reopen")), List.of(last),
                    "readLast() after reopening at a newer term");
        } finally {
            reopened.close();
        }
        assertThatThrownBy(reopened::readLast).as("readLast() after close").isInstanceOf(WALClosedException.class);
        if (kit.capabilities().readOnly()) {
            try (ReadOnlyWALImpls ro = kit.opener().openReadOnly(OpenOption.readOnly(channel, 2))) {
                assertSameMessages(List.of(readLast(ro, "readLast() of a read-only WAL")), List.of(last),
                        "readLast() of a read-only WAL");
            }
        }
    }

    private static ImmutableMessage readLast(ReadOnlyWALImpls wal, String what) {
        return wal.readLast().orElseThrow(() -> new AssertionError(what + " returned empty on a channel with data"));
    }

    /**
     * Truncation is advisory, so what must hold for every backend is that it completes and keeps every message after
     * the id across a reopen; that the truncated ids are gone is checked only where the backend says it drops them.
     */
    void truncateThenReopenKeepsEverythingAfterTheTruncatedId(boolean truncationIsExact) {
        String channel = kit.newChannel();
        List<ImmutableMessage> written;
        MessageId truncatedAt;
        try (WALImpls wal = kit.openWriter(channel, 1)) {
            written = new ArrayList<>(kit.appendPlain(wal, 10));
            truncatedAt = written.get(4).id();
            await(truncate(wal, truncatedAt), "truncate(" + truncatedAt + ")");
            written.addAll(kit.appendPlain(wal, 1));
        }
        try (WALImpls wal = kit.openWriter(channel, 1)) {
            written.addAll(kit.appendPlain(wal, 1));
            List<ImmutableMessage> read;
            try (ScannerImpls scanner = openScanner(wal, "after-truncate", DeliverPolicy.all())) {
                MessageId last = written.get(written.size() - 1).id();
                read = readUntil(scanner, m -> m.id().equals(last), written.size(), "all() after truncate and reopen");
            }
            assertSuffix(read, written, "all() after truncate(" + truncatedAt + ") and reopen");
            assertThat(read.size()).as("messages after the truncated id are kept").isGreaterThanOrEqualTo(7);
            Assumptions.assumeTrue(kit.capabilities().truncate(),
                    "capabilities().truncate() is false: the check that truncated ids are gone is skipped");
            Assumptions.assumeTrue(truncationIsExact,
                    "truncationIsExact() is false: the backend may keep truncated ids, exact check skipped");
            assertThat(ids(read)).as("ids an all() reader sees after truncate(%s)", truncatedAt)
                    .containsExactlyElementsOf(ids(written.subList(5, written.size())));
            try (ScannerImpls from = openScanner(wal, "from-truncated", DeliverPolicy.startFrom(truncatedAt))) {
                assertSameMessages(readExactly(from, 1, "startFrom(a truncated id)"), written.subList(5, 6),
                        "startFrom(a truncated id) starts at the next retained message");
            }
        }
    }

    void openingAHigherTermFencesTheOlderWriterForever() {
        assumeFencing();
        String channel = kit.newChannel();
        try (WALImpls older = kit.openWriter(channel, 1)) {
            List<ImmutableMessage> expected = new ArrayList<>(kit.appendPlain(older, 2));
            try (WALImpls newer = kit.openWriter(channel, 2)) {
                for (int attempt = 0; attempt < 2; attempt++) {
                    Throwable fenced = failureOf(append(older, TestMessages.plain("fenced " + attempt),
                            kit.durability()), "append by the term-1 writer after term 2 was opened");
                    assertThat(fenced).isInstanceOf(ChannelFencedException.class);
                    assertThat(((ChannelFencedException) fenced).channel()).as("channel of the fence")
                            .isEqualTo(channel);
                    assertThat(((ChannelFencedException) fenced).term()).as("term of the fenced writer").isEqualTo(1);
                }
                expected.addAll(kit.appendPlain(newer, 2));
                try (ScannerImpls scanner = openScanner(newer, "fenced", DeliverPolicy.all())) {
                    assertSameMessages(readExactly(scanner, expected.size(), "after fencing"), expected,
                            "the fenced writer's acknowledged messages, then the new writer's; nothing refused");
                }
            }
        }
    }

    void openingALowerTermWhileAHigherTermWriterIsOpenFailsWithChannelFencedException() {
        assumeFencing();
        String channel = kit.newChannel();
        try (WALImpls newer = kit.openWriter(channel, 2)) {
            Throwable thrown = catchThrowable(() -> kit.opener().open(OpenOption.readWrite(channel, 1)).close());
            assertThat(thrown).as("open at term 1 while the term-2 writer is open")
                    .isInstanceOf(ChannelFencedException.class);
            kit.appendPlain(newer, 1);
        }
    }

    private void assumeFencing() {
        Assumptions.assumeTrue(kit.capabilities().fencing(),
                "capabilities().fencing() is false: fencing checks skipped");
    }
}
