/**
 * Messages and their ids: what is appended ({@link io.wal4j.api.message.MutableMessage}), what is read
 * ({@link io.wal4j.api.message.ImmutableMessage}), message types, transaction contexts, and the id codec registry
 * ({@link io.wal4j.api.message.MessageIds}).
 *
 * <p>Physically a message is payload bytes plus a string-to-string property map; type, vchannel, time tick, term,
 * last-confirmed id and transaction context are reserved properties whose keys start with {@code _}
 * ({@link io.wal4j.api.message.ReservedProperties}).
 */
package io.wal4j.api.message;
