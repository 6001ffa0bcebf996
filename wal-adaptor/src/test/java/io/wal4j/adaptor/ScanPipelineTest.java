package io.wal4j.adaptor;

import io.wal4j.api.ReadOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScanPipelineTest {

    private long nextId;

    private ImmutableMessage stored(String vchannel) {
        return MutableMessage.newBuilder().vchannel(vchannel).build().toImmutable(new FakeBackend.FakeId(nextId++));
    }

    @Test
    void withoutStagesEveryMessageIsReadyInOrder() {
        ScanPipeline pipeline = new ScanPipeline(List.of());
        ImmutableMessage a = stored("");
        ImmutableMessage b = stored("");

        pipeline.push(a);
        pipeline.push(b);

        assertThat(pipeline.readyCount()).isEqualTo(2);
        assertThat(pipeline.poll()).isSameAs(a);
        assertThat(pipeline.poll()).isSameAs(b);
        assertThat(pipeline.poll()).isNull();
    }

    @Test
    void stagesRunInOrderAndMayHoldDropOrMultiplyMessages() {
        List<String> trace = new ArrayList<>();
        List<ImmutableMessage> held = new ArrayList<>();
        // First stage holds every message until a broadcast arrives, then releases everything held (a reorder-like
        // stage); the second stage drops vchannel "x" and records what it saw.
        ScanStage holdUntilBroadcast = (m, out) -> {
            held.add(m);
            if (m.vchannel().isEmpty()) {
                held.forEach(out);
                held.clear();
            }
        };
        ScanStage dropX = (m, out) -> {
            trace.add(m.id().toString());
            if (!m.vchannel().equals("x")) {
                out.accept(m);
            }
        };
        ScanPipeline pipeline = new ScanPipeline(List.of(holdUntilBroadcast, dropX));
        ImmutableMessage a = stored("a");
        ImmutableMessage x = stored("x");
        ImmutableMessage tick = stored("");

        pipeline.push(a);
        pipeline.push(x);
        assertThat(pipeline.poll()).isNull();
        pipeline.push(tick);

        assertThat(trace).containsExactly("fake:0", "fake:1", "fake:2");
        assertThat(pipeline.poll()).isSameAs(a);
        assertThat(pipeline.poll()).isSameAs(tick);
        assertThat(pipeline.poll()).isNull();
        assertThat(pipeline.stageCount()).isEqualTo(2);
    }

    @Test
    void anOptionWithAVChannelGetsAFilterStageBeforeTheReorderAndTxnStagesAndAPlainOptionOnlyThoseTwo() {
        assertThat(ScanPipeline.forOption(ReadOption.all()).stageCount()).isEqualTo(2);
        assertThat(ScanPipeline.forOption(ReadOption.newBuilder().vchannel("v").build()).stageCount()).isEqualTo(3);
    }
}
