package io.wal4j.adaptor;

import io.wal4j.api.DeliverFilter;
import io.wal4j.api.ReadOption;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Drops the messages a {@link ReadOption} does not want: its vchannel rule and its AND-combined
 * {@link DeliverFilter}s.
 *
 * <ul>
 *   <li><b>vchannel</b>: with a vchannel set, a message passes when its vchannel equals it or is empty (a broadcast).</li>
 *   <li><b>message types</b>: listed types pass, and every system type always does.</li>
 *   <li><b>time ticks</b> ({@code >} / {@code >=}): transaction begins, rollbacks and bodies pass (the commit decides);
 *       every other message is compared by its time tick. A message without a time tick (written without a
 *       time-tick interceptor) passes: there is nothing to compare, and dropping it would lose data.</li>
 * </ul>
 * Stateless apart from the option; used on the scanner's consuming thread.
 */
final class DeliverFilterStage implements ScanStage {

    private final Predicate<ImmutableMessage> wanted;

    private DeliverFilterStage(Predicate<ImmutableMessage> wanted) {
        this.wanted = wanted;
    }

    /** @return the stage for {@code option}, or empty when it delivers everything */
    static Optional<ScanStage> forOption(ReadOption option) {
        List<Predicate<ImmutableMessage>> tests = new ArrayList<>();
        option.vchannel().ifPresent(vchannel -> tests.add(m -> m.vchannel().isEmpty() || m.vchannel().equals(vchannel)));
        for (DeliverFilter filter : option.filters()) {
            tests.add(predicate(filter));
        }
        if (tests.isEmpty()) {
            return Optional.empty();
        }
        Predicate<ImmutableMessage> all = tests.stream().reduce(Predicate::and).orElseThrow();
        return Optional.of(new DeliverFilterStage(all));
    }

    @Override
    public void accept(ImmutableMessage message, Consumer<ImmutableMessage> downstream) {
        if (wanted.test(message)) {
            downstream.accept(message);
        }
    }

    private static Predicate<ImmutableMessage> predicate(DeliverFilter filter) {
        if (filter instanceof DeliverFilter.MessageTypeIn in) {
            return m -> {
                MessageType type = m.messageType();
                return type.isSystem() || in.types().contains(type);
            };
        }
        if (filter instanceof DeliverFilter.TimeTickGt gt) {
            return m -> decidedByCommit(m) || !m.hasTimeTick() || m.timeTick() > gt.timeTick();
        }
        if (filter instanceof DeliverFilter.TimeTickGte gte) {
            return m -> decidedByCommit(m) || !m.hasTimeTick() || m.timeTick() >= gte.timeTick();
        }
        throw new IllegalArgumentException("unknown deliver filter " + filter);
    }

    /** @return whether the message is part of a transaction whose commit decides its delivery by time tick */
    private static boolean decidedByCommit(ImmutableMessage m) {
        MessageType type = m.messageType();
        if (type.equals(MessageType.BEGIN_TXN) || type.equals(MessageType.ROLLBACK_TXN)) {
            return true;
        }
        boolean wholeOrCommit = type.equals(MessageType.COMMIT_TXN) || type.equals(MessageType.TXN);
        return !wholeOrCommit && m.txnContext().isPresent();
    }
}
