package io.wal4j.adaptor;

import io.wal4j.api.ReadOption;
import io.wal4j.api.message.ImmutableMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The stages a scanner pushes each upstream message through, ending in a queue of messages ready for the consumer.
 * {@link #forOption} builds the start position of the deliver policy and the delivery filter of the
 * {@link ReadOption} (each when needed) followed by the
 * {@link ReorderStage} (time-tick order, id dedup, emission rule) and the {@link TxnBufferStage} (transaction
 * assembly). The {@code ready} queue is the pending queue: the scanner pulls from upstream only when it is
 * empty, which is the back-pressure.
 *
 * <p>Not thread-safe: used by the scanner's single consumer.
 */
final class ScanPipeline {

    private final List<ScanStage> stages;
    private final List<Consumer<ImmutableMessage>> inputs;
    private final ArrayDeque<ImmutableMessage> ready = new ArrayDeque<>();

    ScanPipeline(List<ScanStage> stages) {
        this.stages = List.copyOf(stages);
        List<Consumer<ImmutableMessage>> in = new ArrayList<>();
        for (int i = 0; i < this.stages.size(); i++) {
            in.add(null);
        }
        in.add(ready::addLast);
        for (int i = this.stages.size() - 1; i >= 0; i--) {
            ScanStage stage = this.stages.get(i);
            Consumer<ImmutableMessage> downstream = in.get(i + 1);
            in.set(i, message -> stage.accept(message, downstream));
        }
        this.inputs = List.copyOf(in);
    }

    /** @return the pipeline a scanner reading with {@code option} needs, holding up to 64 MiB of transactions */
    static ScanPipeline forOption(ReadOption option) {
        return forOption(option, option.name().orElse("(unnamed)"),
                AdaptorConfig.TXN_BUFFER_BYTES.defaultValue(), new TxnBufferStats());
    }

    /**
     * @param scanner        the scanner's name, for messages
     * @param txnBufferBytes the bytes of open transactions the scanner may hold
     * @param txnStats       the WAL's read-side transaction counters
     * @return the pipeline a scanner reading with {@code option} needs
     */
    static ScanPipeline forOption(ReadOption option, String scanner, long txnBufferBytes, TxnBufferStats txnStats) {
        List<ScanStage> stages = new ArrayList<>();
        StartPositionStage.forPolicy(option.deliverPolicy()).ifPresent(stages::add);
        DeliverFilterStage.forOption(option).ifPresent(stages::add);
        ScanPipeline[] self = new ScanPipeline[1];
        stages.add(new ReorderStage(() -> self[0].readyCount()));
        stages.add(new TxnBufferStage(scanner, txnBufferBytes, txnStats));
        self[0] = new ScanPipeline(stages);
        return self[0];
    }

    /** Pushes one upstream message through every stage. */
    void push(ImmutableMessage message) {
        inputs.get(0).accept(message);
    }

    /** @return the next message ready for the consumer, or null */
    ImmutableMessage poll() {
        return ready.pollFirst();
    }

    /** @return how many messages wait for the consumer */
    int readyCount() {
        return ready.size();
    }

    /** @return the number of stages */
    int stageCount() {
        return stages.size();
    }
}
