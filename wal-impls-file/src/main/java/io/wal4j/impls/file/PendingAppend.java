package io.wal4j.impls.file;

import io.wal4j.api.Durability;
import io.wal4j.api.message.MessageId;
import java.util.concurrent.CompletableFuture;

/**
 * An encoded append waiting for the writer.
 *
 * @param frame      the complete frame bytes (never modified after creation)
 * @param durability the level to reach before completing {@code future}
 * @param future     completed with the id, off the writer thread
 */
record PendingAppend(byte[] frame, Durability durability, CompletableFuture<MessageId> future) {
}
