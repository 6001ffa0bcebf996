package io.wal4j.adaptor;

import io.wal4j.api.DeliverFilter;
import io.wal4j.api.ReadOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeliverFilterStageTest {

    private static final MessageType INSERT = MessageType.define("insert");
    private static final MessageType DELETE = MessageType.define("delete");
    private static final TxnContext TXN = new TxnContext(9, Duration.ofSeconds(1));

    private long nextId;

    private ImmutableMessage stored(MutableMessage message) {
        return message.toImmutable(new FakeBackend.FakeId(nextId++));
    }

    private ImmutableMessage on(String vchannel, MessageType type) {
        return stored(MutableMessage.newBuilder().vchannel(vchannel).messageType(type).build());
    }

    private ImmutableMessage ticked(long timeTick, MessageType type, boolean inTxn) {
        MutableMessage m = MutableMessage.newBuilder().messageType(type).build().withTimeTick(timeTick);
        return stored(inTxn ? m.withTxnContext(TXN) : m);
    }

    private static List<ImmutableMessage> pass(ReadOption option, ImmutableMessage... messages) {
        Optional<ScanStage> stage = DeliverFilterStage.forOption(option);
        List<ImmutableMessage> out = new ArrayList<>();
        for (ImmutableMessage m : messages) {
            if (stage.isPresent()) {
                stage.get().accept(m, out::add);
            } else {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void anOptionWithoutFiltersNeedsNoStage() {
        assertThat(DeliverFilterStage.forOption(ReadOption.all())).isEmpty();
    }

    @Test
    void aVChannelReaderGetsItsOwnMessagesAndBroadcastsOnly() {
        ImmutableMessage mine = on("v1", INSERT);
        ImmutableMessage other = on("v2", INSERT);
        ImmutableMessage broadcast = on("", INSERT);
        ImmutableMessage otherTick = on("v2", MessageType.TIME_TICK);

        assertThat(pass(ReadOption.newBuilder().vchannel("v1").build(), mine, other, broadcast, otherTick))
                .containsExactly(mine, broadcast);
    }

    @Test
    void aReaderOfEveryVChannelGetsEverything() {
        ImmutableMessage a = on("v1", INSERT);
        ImmutableMessage b = on("v2", DELETE);

        assertThat(pass(ReadOption.newBuilder().filter(DeliverFilter.timeTickGte(0)).build(), a, b))
                .containsExactly(a, b);
    }

    @Test
    void aMessageTypeFilterKeepsListedTypesAndEverySystemType() {
        ImmutableMessage insert = on("", INSERT);
        ImmutableMessage delete = on("", DELETE);
        ImmutableMessage data = on("", MessageType.DATA);
        ImmutableMessage tick = on("", MessageType.TIME_TICK);
        ImmutableMessage commit = on("", MessageType.COMMIT_TXN);

        assertThat(pass(ReadOption.newBuilder().filter(DeliverFilter.messageTypeIn(INSERT)).build(),
                insert, delete, data, tick, commit)).containsExactly(insert, tick, commit);
    }

    @Test
    void filtersAreAndCombinedWithTheVChannelRule() {
        ImmutableMessage insertV1 = on("v1", INSERT);
        ImmutableMessage deleteV1 = on("v1", DELETE);
        ImmutableMessage insertV2 = on("v2", INSERT);

        assertThat(pass(ReadOption.newBuilder().vchannel("v1").filter(DeliverFilter.messageTypeIn(INSERT)).build(),
                insertV1, deleteV1, insertV2)).containsExactly(insertV1);
    }

    @ParameterizedTest(name = "tick {0} with gt {1}: {2}, gte {1}: {3}")
    @CsvSource({
            "9, 10, false, false",
            "10, 10, false, true",
            "11, 10, true, true",
    })
    void timeTickFiltersCompareNonTransactionalMessages(long tick, long bound, boolean gt, boolean gte) {
        ImmutableMessage m = ticked(tick, INSERT, false);

        assertThat(pass(ReadOption.newBuilder().filter(DeliverFilter.timeTickGt(bound)).build(), m)).hasSize(gt ? 1 : 0);
        assertThat(pass(ReadOption.newBuilder().filter(DeliverFilter.timeTickGte(bound)).build(), m))
                .hasSize(gte ? 1 : 0);
    }

    @Test
    void timeTickFiltersLetTransactionPartsThroughAndJudgeTheCommit() {
        ImmutableMessage begin = ticked(1, MessageType.BEGIN_TXN, true);
        ImmutableMessage body = ticked(2, INSERT, true);
        ImmutableMessage oldCommit = ticked(3, MessageType.COMMIT_TXN, true);
        ImmutableMessage newCommit = ticked(30, MessageType.COMMIT_TXN, true);
        ImmutableMessage rollback = ticked(4, MessageType.ROLLBACK_TXN, true);
        ImmutableMessage oldTick = ticked(5, MessageType.TIME_TICK, false);

        assertThat(pass(ReadOption.newBuilder().filter(DeliverFilter.timeTickGte(10)).build(),
                begin, body, oldCommit, newCommit, rollback, oldTick))
                .containsExactly(begin, body, newCommit, rollback);
    }

    @Test
    void aMessageWithoutATimeTickPassesTimeTickFilters() {
        ImmutableMessage unticked = on("", INSERT);

        assertThat(pass(ReadOption.newBuilder().filter(DeliverFilter.timeTickGt(Long.MAX_VALUE - 1)).build(),
                unticked)).containsExactly(unticked);
    }
}
