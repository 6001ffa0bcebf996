package io.wal4j.adaptor;

import io.wal4j.api.message.ImmutableMessage;

import java.util.function.Consumer;

/**
 * One step of a scanner's pipeline: takes each message coming from upstream (the backend, or the stage before) and
 * passes zero, one or several messages downstream — now or later (a reorder stage holds messages until a time tick
 * releases them). Called on the scanner's consuming thread only, so a stage need not be thread-safe.
 */
interface ScanStage {

    /**
     * @param message    the next message from upstream
     * @param downstream where to pass messages on, in the order they must be delivered
     */
    void accept(ImmutableMessage message, Consumer<ImmutableMessage> downstream);
}
