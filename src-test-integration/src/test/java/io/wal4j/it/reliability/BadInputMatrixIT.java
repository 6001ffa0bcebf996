package io.wal4j.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.AppendResult;
import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.DeliverFilter;
import io.wal4j.api.DeliverPolicy;
import io.wal4j.adaptor.timetick.HybridLogicalClock;
import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.InvalidTransactionStateException;
import io.wal4j.api.MessageTooLargeException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.TransactionExpiredException;
import io.wal4j.api.Txn;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.ImmutableTxnMessage;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIds;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.TxnContext;
import io.wal4j.spi.registry.WALImplsRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix of issue 6: every misuse of the public API, on every embedded backend, gets its documented
 * exception (type and a message naming the bad value), and afterwards the WAL is still usable — the same instance
 * when the misuse did not close it, for appends and transactions — and, after a close and reopen, holds exactly the
 * messages and committed transactions acknowledged before, nothing lost, nothing extra (a transaction that was not
 * committed is never delivered).
 */
class BadInputMatrixIT {

    private static final long LIMIT = 16L << 20;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger CHANNELS = new AtomicInteger();
    private static final AtomicInteger CASES_RUN = new AtomicInteger();
    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    @TempDir
    Path dir;

    /** One misuse: what to do, and the exception (or null: accepted) it must produce. */
    private record Case(Class<? extends Throwable> expected, String messagePart, Action action) {
    }

    @FunctionalInterface
    private interface Action {
        /** @return null, or a future whose failure is the outcome (async APIs never throw) */
        Object run(Fixture f) throws Exception;
    }

    private static void add(String name, Class<? extends Throwable> expected, String messagePart, Action action) {
        if (CASES.put(name, new Case(expected, messagePart, action)) != null) {
            throw new IllegalStateException("duplicate case " + name);
        }
    }

    private static MutableMessage plain(String text) {
        return MutableMessage.newBuilder().payload(text.getBytes(StandardCharsets.UTF_8)).property("k", text).build();
    }

    static {
        // Nulls everywhere.
        add("append(null)", NullPointerException.class, "message", f -> f.wal.append(null));
        add("appendAsync(null)", NullPointerException.class, "message", f -> f.wal.appendAsync(null));
        add("appendAsync(null, timeout)", NullPointerException.class, "message",
                f -> f.wal.appendAsync(null, Duration.ofSeconds(5)));
        add("read(null)", NullPointerException.class, "option", f -> f.wal.read(null));
        add("opener.open(null)", NullPointerException.class, "option", f -> f.opener.open(null));
        add("opener.openReadOnly(null)", NullPointerException.class, "option", f -> f.opener.openReadOnly(null));
        add("builder.build(null)", NullPointerException.class, "config", f -> f.builder().build(null));
        add("payload(null)", NullPointerException.class, "payload", f -> MutableMessage.newBuilder().payload(null));
        add("property(null, v)", NullPointerException.class, "key",
                f -> MutableMessage.newBuilder().property(null, "v"));
        add("property(k, null)", NullPointerException.class, "k", f -> MutableMessage.newBuilder().property("k", null));
        add("messageType(null)", NullPointerException.class, "messageType",
                f -> MutableMessage.newBuilder().messageType(null));
        add("vchannel(null)", NullPointerException.class, "vchannel", f -> MutableMessage.newBuilder().vchannel(null));
        add("channel name null", NullPointerException.class, "name", f -> OpenOption.readWrite(null, 1));
        add("startFrom(null)", NullPointerException.class, "id", f -> DeliverPolicy.startFrom(null));
        add("startAfter(null)", NullPointerException.class, "id", f -> DeliverPolicy.startAfter(null));
        add("messageTypeIn(null array)", NullPointerException.class, "types",
                f -> DeliverFilter.messageTypeIn((MessageType[]) null));
        add("messageTypeIn(DATA, null)", NullPointerException.class, null,
                f -> DeliverFilter.messageTypeIn(MessageType.DATA, null));
        add("scanner.poll(null)", NullPointerException.class, "timeout", f -> {
            try (Scanner s = f.wal.read(ReadOption.all())) {
                return s.poll(null);
            }
        });
        add("unmarshal(null bytes)", NullPointerException.class, "bytes", f -> MessageIds.unmarshal(f.backend, null));
        add("WALConfig.of(null value)", NullPointerException.class, "wal.x",
                f -> WALConfig.of(nullValued("wal.x")));

        // Payloads: empty is a valid message; one byte over the limit is refused, stating the limit.
        add("empty payload accepted", null, null, f -> f.appendAccepted(MutableMessage.newBuilder()
                .property("k", "empty").build()));
        add("oversized payload", MessageTooLargeException.class, "limit of " + LIMIT + " bytes",
                f -> f.wal.appendAsync(MutableMessage.newBuilder().payload(new byte[(int) LIMIT + 1]).build()));
        add("oversized payload, sync append", MessageTooLargeException.class, "limit of " + LIMIT + " bytes",
                f -> f.wal.append(MutableMessage.newBuilder().payload(new byte[(int) LIMIT + 1]).build()));
        add("oversized by properties", MessageTooLargeException.class, "limit of " + LIMIT + " bytes",
                f -> f.wal.appendAsync(MutableMessage.newBuilder().payload(new byte[(int) LIMIT - 8])
                        .property("big", "x".repeat(64)).build()));
        add("binary and NUL property values accepted", null, null, f -> f.appendAccepted(MutableMessage.newBuilder()
                .payload(new byte[] {0, -1, 0, 127}).property("k", "nul\u0000in\u00e9\uD83D\uDE00").build()));

        // Reserved property keys and malformed keys.
        add("reserved key _tt", IllegalArgumentException.class, "_tt",
                f -> MutableMessage.newBuilder().property("_tt", "1"));
        add("reserved key _", IllegalArgumentException.class, "reserved",
                f -> MutableMessage.newBuilder().property("_", "1"));
        add("reserved key in properties(map)", IllegalArgumentException.class, "_wt",
                f -> MutableMessage.newBuilder().properties(Map.of("ok", "1", "_wt", "9")));
        add("empty property key", IllegalArgumentException.class, "empty",
                f -> MutableMessage.newBuilder().property("", "v"));
        add("self-controlled type TimeTick", IllegalArgumentException.class, "TimeTick",
                f -> f.wal.appendAsync(MutableMessage.newBuilder().messageType(MessageType.TIME_TICK).build()));
        add("self-controlled type CommitTxn", IllegalArgumentException.class, "CommitTxn",
                f -> f.wal.appendAsync(MutableMessage.newBuilder().messageType(MessageType.COMMIT_TXN).build()));
        add("defining a built-in type", IllegalArgumentException.class, "BeginTxn",
                f -> MessageType.define("BeginTxn"));
        add("type name with a slash", IllegalArgumentException.class, "a/b", f -> MessageType.define("a/b"));

        // Channel names and terms.
        add("channel ../evil", IllegalArgumentException.class, "../evil", f -> OpenOption.readWrite("../evil", 1));
        add("channel a/b", IllegalArgumentException.class, "a/b", f -> OpenOption.readWrite("a/b", 1));
        add("channel ..", IllegalArgumentException.class, "..", f -> OpenOption.readWrite("..", 1));
        add("channel .", IllegalArgumentException.class, "\".\"", f -> OpenOption.readWrite(".", 1));
        add("channel empty", IllegalArgumentException.class, "invalid channel name", f -> OpenOption.readWrite("", 1));
        add("channel with NUL", IllegalArgumentException.class, "\\u0000", f -> OpenOption.readWrite("a\u0000b", 1));
        add("channel with backslash", IllegalArgumentException.class, "a\\b", f -> OpenOption.readWrite("a\\b", 1));
        add("channel of 201 chars", IllegalArgumentException.class, "201 chars",
                f -> OpenOption.readWrite("c".repeat(201), 1));
        add("channel of 200 chars accepted", null, null, f -> {
            try (WAL wal = f.opener.open(OpenOption.readWrite(f.channel.substring(0, 6) + "x".repeat(194), 1))) {
                assertThat(wal.append(plain("long-name")).messageId()).isNotNull();
            }
            return null;
        });
        add("term -1", IllegalArgumentException.class, "-1", f -> OpenOption.readWrite(f.channel, -1));
        add("term Long.MIN_VALUE", IllegalArgumentException.class, Long.toString(Long.MIN_VALUE),
                f -> OpenOption.readWrite(f.channel, Long.MIN_VALUE));
        add("open() with a read-only option", IllegalArgumentException.class, "openReadOnly",
                f -> f.opener.open(OpenOption.readOnly(f.channel, 1)));
        add("open at a lower term than the owner", ChannelFencedException.class, null, f -> {
            String other = f.channel + "-fence";
            try (WAL high = f.opener.open(OpenOption.readWrite(other, 5))) {
                high.append(plain("high"));
                return f.opener.open(OpenOption.readWrite(other, 4));
            }
        });

        // Message ids: foreign, corrupt, unknown backend.
        add("startFrom a foreign id", InvalidMessageIdException.class, "alien",
                f -> f.wal.read(ReadOption.newBuilder().deliverPolicy(DeliverPolicy.startFrom(new AlienId())).build()));
        add("startAfter a foreign id", InvalidMessageIdException.class, "alien",
                f -> f.wal.read(ReadOption.newBuilder().deliverPolicy(DeliverPolicy.startAfter(new AlienId()))
                        .build()));
        add("unmarshal 3 garbage bytes", InvalidMessageIdException.class, null,
                f -> MessageIds.unmarshal(f.backend, new byte[] {1, 2, 3}));
        add("unmarshal no bytes", InvalidMessageIdException.class, null,
                f -> MessageIds.unmarshal(f.backend, new byte[0]));
        add("fromText not Base64", InvalidMessageIdException.class, "!!", f -> MessageIds.fromText(f.backend, "!!"));
        add("unmarshal for an unknown backend", InvalidMessageIdException.class, "nosuchwal",
                f -> MessageIds.unmarshal("nosuchwal", new byte[8]));
        add("compare ids of two backends", IllegalArgumentException.class, null,
                f -> f.appendAndGetId(plain("cmp")).compareTo(new AlienId()));

        // Filters and read options.
        add("filter listing TimeTick", IllegalArgumentException.class, "TimeTick",
                f -> DeliverFilter.messageTypeIn(MessageType.DATA, MessageType.TIME_TICK));
        add("filter listing Txn", IllegalArgumentException.class, "Txn",
                f -> DeliverFilter.messageTypeIn(MessageType.TXN));
        add("filter listing no type", IllegalArgumentException.class, "at least one",
                f -> DeliverFilter.messageTypeIn());
        add("readAhead 0", IllegalArgumentException.class, "0", f -> ReadOption.newBuilder().readAhead(0));
        add("blank scanner name", IllegalArgumentException.class, "blank", f -> ReadOption.newBuilder().name("  "));
        add("empty read vchannel", IllegalArgumentException.class, "empty", f -> ReadOption.newBuilder().vchannel(""));
        add("duplicate scanner name", IllegalArgumentException.class, "dup", f -> {
            Scanner first = f.wal.read(ReadOption.newBuilder().name("dup").build());
            try {
                return f.wal.read(ReadOption.newBuilder().name("dup").build());
            } finally {
                first.close();
            }
        });

        // Configuration.
        add("unknown backend key", IllegalArgumentException.class, "bogus",
                f -> f.builder().build(f.config.with("wal." + f.backend + ".bogus", "1")));
        add("unknown adaptor key", IllegalArgumentException.class, "wal.adaptor.bogus",
                f -> f.builder().build(f.config.with("wal.adaptor.bogus", "1")));
        add("malformed adaptor value", IllegalArgumentException.class, "wal.adaptor.append-retry-max",
                f -> f.builder().build(f.config.with("wal.adaptor.append-retry-max", "soon")));

        // Read-only WALs offer no append at all: the type has none, and the object is not secretly a WAL.
        add("write to a read-only WAL", UnsupportedOperationException.class, null, f -> {
            try (ReadOnlyWAL ro = f.opener.openReadOnly(OpenOption.readOnly(f.channel, 1))) {
                if (ro instanceof WAL writable) {
                    return writable.appendAsync(plain("through a read-only WAL"));
                }
                throw new UnsupportedOperationException("read-only WAL " + ro.getClass().getName() + " has no append");
            }
        });

        // Use after close, double close.
        add("append after close", WALClosedException.class, null, f -> {
            f.wal.close();
            return f.wal.append(plain("late"));
        });
        add("appendAsync after close", WALClosedException.class, null, f -> {
            f.wal.close();
            return f.wal.appendAsync(plain("late"));
        });
        add("read after close", WALClosedException.class, null, f -> {
            f.wal.close();
            return f.wal.read(ReadOption.all());
        });
        add("poll a closed scanner", WALClosedException.class, null, f -> {
            Scanner s = f.wal.read(ReadOption.all());
            s.close();
            return s.poll(Duration.ofMillis(10));
        });
        add("scanner of a closed WAL", WALClosedException.class, null, f -> {
            Scanner s = f.wal.read(ReadOption.all());
            f.wal.close();
            assertThat(s.done()).succeedsWithin(Duration.ofSeconds(10));
            return s.take();
        });
        add("double close of WAL and opener", null, null, f -> {
            f.wal.close();
            f.wal.close();
            f.opener.close();
            f.opener.close();
            assertThat(f.wal.isAvailable()).isFalse();
            return null;
        });
        add("open after opener close", WALClosedException.class, null, f -> {
            f.opener.close();
            return f.opener.open(OpenOption.readWrite(f.channel + "-late", 1));
        });
    }


    private static final Duration LONG_KEEPALIVE = Duration.ofSeconds(60);
    private static final MessageType EXCLUSIVE = MessageType.define("bad-input-exclusive", true);

    private static MutableMessage body(String vchannel, String text) {
        return MutableMessage.newBuilder().vchannel(vchannel).payload(text.getBytes(StandardCharsets.UTF_8))
                .property("k", text).build();
    }

    static {
        // Transactions: the state machine (commit, rollback, bodies after the end), the keepalive, begin's arguments
        // and mode, close, and users forging the WAL's own transaction messages or contexts.
        add("txn: commit twice", InvalidTransactionStateException.class, "COMMITTED", f -> {
            Txn txn = f.committedTxn("v1", "twice");
            return txn.commitAsync(Map.of());
        });
        add("txn: rollback after commit", InvalidTransactionStateException.class, "COMMITTED", f -> {
            Txn txn = f.committedTxn("v1", "then-rollback");
            return txn.rollbackAsync();
        });
        add("txn: commit after rollback", InvalidTransactionStateException.class, "ROLLED_BACK", f -> {
            Txn txn = f.rolledBackTxn("v1", "then-commit");
            return txn.commitAsync(Map.of("after", "rollback"));
        });
        add("txn: rollback twice", InvalidTransactionStateException.class, "ROLLED_BACK", f -> {
            Txn txn = f.rolledBackTxn("v1", "twice");
            return txn.rollbackAsync();
        });
        add("txn: body into a committed txn", InvalidTransactionStateException.class, "COMMITTED", f -> {
            Txn txn = f.committedTxn("v1", "then-body");
            return txn.appendAsync(body("v1", "late body"));
        });
        add("txn: body into a rolled-back txn", InvalidTransactionStateException.class, "ROLLED_BACK", f -> {
            Txn txn = f.rolledBackTxn("v1", "then-body");
            return txn.appendAsync(body("v1", "late body"));
        });
        add("txn: blocking body into a committed txn", InvalidTransactionStateException.class, "COMMITTED", f -> {
            Txn txn = f.committedTxn("v1", "then-blocking-body");
            return txn.append(body("v1", "late body"));
        });
        add("txn: commit after the keepalive expired", TransactionExpiredException.class, "expired", f -> {
            // Long enough for the body to be accepted even on a loaded machine; the body renews the lease.
            Duration keepalive = Duration.ofMillis(500);
            Txn txn = f.wal.beginTxn("v1", keepalive);
            AppendResult accepted = txn.append(body("v1", "never delivered"));
            awaitLeaseOver(accepted.timeTick(), keepalive);
            return txn.commitAsync(Map.of());
        });
        add("txn: blocking commit after the keepalive expired", TransactionExpiredException.class, "expired", f -> {
            Txn txn = f.wal.beginTxn("v1", Duration.ofMillis(2));
            awaitLeaseOver(txn.beginResult().timeTick(), Duration.ofMillis(2));
            return txn.commit();
        });
        add("txn: body after the keepalive expired", TransactionExpiredException.class, "expired", f -> {
            Txn txn = f.wal.beginTxn("v1", Duration.ofMillis(1));
            awaitLeaseOver(txn.beginResult().timeTick(), Duration.ofMillis(1));
            return txn.appendAsync(body("v1", "too late"));
        });
        add("txn: beginTxn(null vchannel)", NullPointerException.class, "vchannel",
                f -> f.wal.beginTxn(null, LONG_KEEPALIVE));
        add("txn: beginTxnAsync(null keepalive)", NullPointerException.class, "keepalive",
                f -> f.wal.beginTxnAsync("v1", null));
        add("txn: beginTxn on the empty vchannel", IllegalArgumentException.class, "empty",
                f -> f.wal.beginTxn("", LONG_KEEPALIVE));
        add("txn: keepalive 0", IllegalArgumentException.class, "PT0S", f -> f.wal.beginTxn("v1", Duration.ZERO));
        add("txn: keepalive 999 microseconds", IllegalArgumentException.class, "PT0.000999S",
                f -> f.wal.beginTxnAsync("v1", Duration.ofNanos(999_000)));
        add("txn: negative keepalive", IllegalArgumentException.class, "PT-1S",
                f -> f.wal.beginTxn("v1", Duration.ofSeconds(-1)));
        add("txn: beginTxn in plain mode (time ticks disabled)", UnsupportedOperationException.class,
                "timetick.enabled", f -> {
                    try (Opener plainOpener = f.builder().build(f.config.with("wal.adaptor.timetick.enabled",
                            "false"));
                         WAL plainWal = plainOpener.open(OpenOption.readWrite(f.channel + "-plain", 1))) {
                        plainWal.append(plain("plain mode works"));
                        return plainWal.beginTxn("v1", LONG_KEEPALIVE);
                    }
                });
        add("txn: beginTxn after close", WALClosedException.class, null, f -> {
            f.wal.close();
            return f.wal.beginTxn("v1", LONG_KEEPALIVE);
        });
        add("txn: beginTxnAsync after close", WALClosedException.class, null, f -> {
            f.wal.close();
            return f.wal.beginTxnAsync("v1", LONG_KEEPALIVE);
        });
        add("txn: body after the WAL closed", WALClosedException.class, null, f -> {
            Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
            txn.append(body("v1", "never committed"));
            f.wal.close();
            return txn.appendAsync(body("v1", "after close"));
        });
        add("txn: commit after the WAL closed", WALClosedException.class, null, f -> {
            Txn txn = f.wal.beginTxnAsync("v1", LONG_KEEPALIVE).get(30, java.util.concurrent.TimeUnit.SECONDS);
            txn.append(body("v1", "never committed"));
            // The close waits (wal.adaptor.txn.close-wait) for the open transaction, then closes anyway.
            f.wal.close();
            return txn.commit();
        });
        add("txn: user appends BeginTxn", IllegalArgumentException.class, "BeginTxn",
                f -> f.wal.appendAsync(MutableMessage.newBuilder().messageType(MessageType.BEGIN_TXN).vchannel("v1")
                        .build()));
        add("txn: user appends RollbackTxn", IllegalArgumentException.class, "RollbackTxn",
                f -> f.wal.append(MutableMessage.newBuilder().messageType(MessageType.ROLLBACK_TXN).vchannel("v1")
                        .build()));
        add("txn: user appends Txn", IllegalArgumentException.class, "Txn",
                f -> f.wal.appendAsync(MutableMessage.newBuilder().messageType(MessageType.TXN).vchannel("v1")
                        .build()));
        add("txn: user appends a CommitTxn stamped with an open txn", IllegalArgumentException.class, "CommitTxn",
                f -> {
                    Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
                    return f.wal.appendAsync(MutableMessage.newBuilder().messageType(MessageType.COMMIT_TXN)
                            .vchannel("v1").build().withTxnContext(txn.context()));
                });
        add("txn: self-controlled body type", IllegalArgumentException.class, "TimeTick", f -> {
            Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
            CompletableFuture<?> refused = txn.appendAsync(MutableMessage.newBuilder()
                    .messageType(MessageType.TIME_TICK).build());
            f.commitAndExpect(txn, List.of(), Map.of("after", "refused body"));
            return refused;
        });
        add("txn: body for another vchannel", IllegalArgumentException.class, "v2", f -> {
            Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
            MutableMessage good = body("v1", "kept body");
            txn.append(good);
            CompletableFuture<?> refused = txn.appendAsync(body("v2", "wrong vchannel"));
            // The refusal leaves the transaction open: it still commits, with its good body only.
            f.commitAndExpect(txn, List.of(good), Map.of());
            return refused;
        });
        add("txn: body stamped with an unknown txn id", TransactionExpiredException.class, "424242",
                f -> f.wal.appendAsync(body("v1", "stray").withTxnContext(new TxnContext(424242, LONG_KEEPALIVE))));
        add("txn: body of a txn of an earlier writer", TransactionExpiredException.class, "earlier writer", f -> {
            Txn old = f.wal.beginTxn("v1", LONG_KEEPALIVE);
            old.append(body("v1", "orphan body"));
            f.reopenSameOpener();
            return f.wal.appendAsync(body("v1", "resumed?").withTxnContext(old.context()));
        });
        add("txn: exclusive message as a body", IllegalArgumentException.class, "exclusive", f -> {
            Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
            MutableMessage good = body("v1", "before the exclusive body");
            txn.append(good);
            CompletableFuture<?> refused = txn.appendAsync(MutableMessage.newBuilder().messageType(EXCLUSIVE)
                    .vchannel("v1").build());
            // Refused, the exclusive body fails nothing: the transaction still commits.
            f.commitAndExpect(txn, List.of(good), Map.of());
            return refused;
        });
        add("txn: commit after an exclusive message failed it", InvalidTransactionStateException.class, "FAILED",
                f -> {
                    Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
                    txn.append(body("v1", "failed body"));
                    f.appendAccepted(MutableMessage.newBuilder().messageType(EXCLUSIVE).vchannel("v1")
                            .payload(new byte[] {7}).property("k", "exclusive").build());
                    return txn.commitAsync(Map.of());
                });
        add("txn: commit(null properties)", NullPointerException.class, "properties", f -> {
            Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
            return txn.commitAsync(null);
        });
        add("txn: commit with a reserved property key", IllegalArgumentException.class, "_tt", f -> {
            Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
            return txn.commit(Map.of("_tt", "1"));
        });
        add("txn: body null", NullPointerException.class, "body", f -> {
            Txn txn = f.wal.beginTxn("v1", LONG_KEEPALIVE);
            return txn.appendAsync(null);
        });
        add("txn: empty transaction commits", null, null, f -> {
            f.commitAndExpect(f.wal.beginTxn("v1", LONG_KEEPALIVE), List.of(), Map.of("empty", "yes"));
            return null;
        });
    }

    /**
     * Waits until the wall clock is past a transaction's lease: the physical time of {@code lastTimeTick} (its begin,
     * or its last acknowledged body) plus the keepalive. Every time tick allocated from then on is at or beyond it,
     * so the next step of the transaction finds it expired.
     */
    private static void awaitLeaseOver(long lastTimeTick, Duration keepalive) {
        long leaseEnd = HybridLogicalClock.physicalMillis(lastTimeTick) + keepalive.toMillis();
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > leaseEnd);
    }

    private static Map<String, String> nullValued(String key) {
        Map<String, String> map = new java.util.HashMap<>();
        map.put(key, null);
        return map;
    }

    static Stream<Arguments> cases() {
        return Stream.of("memory", "file").flatMap(b -> CASES.keySet().stream().map(c -> Arguments.of(b, c)));
    }

    @AfterAll
    static void printFigures() {
        new Figures("BadInputMatrixIT").put("cases", CASES.size()).put("runs", CASES_RUN.get()).print();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void misuseGetsItsDocumentedExceptionAndLosesNothing(String backend, String name) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(WALImplsRegistry.find(backend).isPresent(),
                "backend " + backend + " is not on the class path");
        Case c = CASES.get(name);
        try (Fixture f = new Fixture(backend, dir)) {
            f.appendBaseline();
            Throwable thrown = outcome(c.action, f);
            if (c.expected == null) {
                assertThat(thrown).as(name + " is accepted").isNull();
            } else {
                assertThat(thrown).as(name).isInstanceOf(c.expected);
                if (c.messagePart != null) {
                    assertThat(thrown.getMessage()).as(name + ": the message names the bad value")
                            .contains(c.messagePart);
                }
                if (thrown instanceof MessageTooLargeException tooLarge) {
                    assertThat(tooLarge.limit()).isEqualTo(LIMIT);
                }
            }
            f.checkUsableAndNothingLost();
        }
        CASES_RUN.incrementAndGet();
    }

    /** Runs the action; a returned future is awaited and its failure, unwrapped, is the outcome. */
    private static Throwable outcome(Action action, Fixture f) {
        Throwable thrown = catchThrowable(() -> {
            Object result = action.run(f);
            if (result instanceof CompletableFuture<?> future) {
                try {
                    future.get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause();
                }
            }
        });
        while (thrown instanceof CompletionException && thrown.getCause() != null) {
            thrown = thrown.getCause();
        }
        return thrown;
    }

    /**
     * What a reader of the channel must see for one acknowledged step: a plain message, or a committed transaction
     * (its bodies, in order, and the commit's properties).
     */
    private record Expected(MutableMessage plain, List<MutableMessage> bodies, Map<String, String> commitProperties) {
        static Expected plain(MutableMessage m) {
            return new Expected(m, null, null);
        }

        static Expected txn(List<MutableMessage> bodies, Map<String, String> commitProperties) {
            return new Expected(null, List.copyOf(bodies), commitProperties);
        }
    }

    /**
     * An opener and a WAL on a fresh channel, with the list of everything acknowledged on that channel in
     * acknowledgement order: plain messages, and transactions at their commit.
     */
    private static final class Fixture implements AutoCloseable {
        final String backend;
        final WALConfig config;
        final String channel = "bad-input-" + CHANNELS.incrementAndGet();
        final List<Expected> acknowledged = new ArrayList<>();
        Opener opener;
        WAL wal;

        Fixture(String backend, Path dir) {
            this.backend = backend;
            // A short close wait: several cases leave a transaction open, and the close need not wait 3 s for it.
            WALConfig base = WALConfig.of(Map.of("wal.adaptor.txn.close-wait", "200ms"));
            this.config = backend.equals("file") ? base.with("wal.file.dir", dir.toString())
                    .with("wal.file.segment-bytes", "4096") : base;
            this.opener = builder().build(config);
            this.wal = opener.open(OpenOption.readWrite(channel, 1));
        }

        io.wal4j.api.OpenerBuilder builder() {
            return WALRegistry.builder(backend);
        }

        void appendBaseline() {
            for (int i = 0; i < 20; i++) {
                appendAccepted(MutableMessage.newBuilder().payload(("base-" + i).getBytes(StandardCharsets.UTF_8))
                        .property("k", "base-" + i).build());
            }
        }

        MessageId appendAndGetId(MutableMessage m) {
            MessageId id = wal.append(m).messageId();
            acknowledged.add(Expected.plain(m));
            return id;
        }

        Object appendAccepted(MutableMessage m) {
            wal.append(m);
            acknowledged.add(Expected.plain(m));
            return null;
        }

        /** Commits {@code txn} and records that readers must get it, with {@code bodies}. */
        void commitAndExpect(Txn txn, List<MutableMessage> bodies, Map<String, String> properties) {
            txn.commit(properties);
            acknowledged.add(Expected.txn(bodies, properties));
        }

        /** @return a transaction on {@code vchannel} with two bodies, committed (and expected by readers) */
        Txn committedTxn(String vchannel, String name) {
            Txn txn = wal.beginTxn(vchannel, LONG_KEEPALIVE);
            List<MutableMessage> bodies = List.of(body(vchannel, name + "-1"), body(vchannel, name + "-2"));
            bodies.forEach(txn::append);
            commitAndExpect(txn, bodies, Map.of("txn", name));
            return txn;
        }

        /** @return a transaction on {@code vchannel} with one body, rolled back (never delivered) */
        Txn rolledBackTxn(String vchannel, String name) {
            Txn txn = wal.beginTxn(vchannel, LONG_KEEPALIVE);
            txn.append(body(vchannel, name + "-rolled-back"));
            txn.rollback();
            return txn;
        }

        /** Closes the WAL and opens the channel again with the same opener: a new writer. */
        void reopenSameOpener() {
            wal.close();
            wal = opener.open(OpenOption.readWrite(channel, 1));
        }

        /**
         * The same WAL takes an append and a transaction if it is still open; then, after closing everything and
         * reopening, the channel holds exactly the acknowledged messages and committed transactions, in order,
         * intact, and takes appends and transactions again.
         */
        void checkUsableAndNothingLost() {
            if (wal.isAvailable()) {
                appendAccepted(plain("after-same-instance"));
                committedTxn("v-check", "after-same-instance");
            }
            wal.close();
            opener.close();
            opener = builder().build(config);
            wal = opener.open(OpenOption.readWrite(channel, 1));
            committedTxn("v-check", "after-reopen");
            MutableMessage marker = ReliabilityTestUtils.marker("end-" + channel);
            appendAccepted(marker);
            List<ImmutableMessage> read = readUpToMarker("end-" + channel);
            assertThat(read).as("messages and transactions after reopen").hasSize(acknowledged.size());
            for (int i = 0; i < read.size(); i++) {
                ImmutableMessage got = read.get(i);
                Expected want = acknowledged.get(i);
                if (want.plain() != null) {
                    assertThat(got).as("message " + i + " is plain").isNotInstanceOf(ImmutableTxnMessage.class);
                    checkSame(got, want.plain(), "message " + i);
                } else {
                    assertThat(got).as("message " + i + " is a committed transaction")
                            .isInstanceOf(ImmutableTxnMessage.class);
                    ImmutableTxnMessage txn = (ImmutableTxnMessage) got;
                    assertThat(ReliabilityTestUtils.userProperties(txn.commit())).as("commit properties of " + i)
                            .isEqualTo(new java.util.TreeMap<>(want.commitProperties()));
                    assertThat(txn.bodies()).as("bodies of transaction " + i).hasSameSizeAs(want.bodies());
                    for (int b = 0; b < txn.size(); b++) {
                        checkSame(txn.bodies().get(b), want.bodies().get(b), "body " + b + " of transaction " + i);
                        assertThat(txn.bodies().get(b).vchannel()).isEqualTo(txn.begin().vchannel());
                    }
                }
                if (i > 0) {
                    ImmutableMessage previous = read.get(i - 1);
                    // Sequential appends and commits: ids and (when stamped) time ticks both increase.
                    assertThat(previous.id().isBefore(got.id())).as("ids increase").isTrue();
                    if (got.hasTimeTick() && previous.hasTimeTick()) {
                        assertThat(got.timeTick()).as("time ticks increase").isGreaterThan(previous.timeTick());
                    }
                }
            }
        }

        private static void checkSame(ImmutableMessage got, MutableMessage want, String what) {
            assertThat(got.payload()).as("payload of " + what).isEqualTo(want.payload());
            assertThat(ReliabilityTestUtils.userProperties(got)).as("properties of " + what)
                    .isEqualTo(new java.util.TreeMap<>(userOnly(want.properties())));
        }

        /** Reads every message and committed transaction from the start up to and including the marker. */
        private List<ImmutableMessage> readUpToMarker(String name) {
            List<ImmutableMessage> out = new ArrayList<>();
            try (Scanner scanner = wal.read(ReadOption.all())) {
                while (true) {
                    ImmutableMessage m = scanner.poll(READ_TIMEOUT);
                    assertThat(m).as("marker " + name + " delivered within " + READ_TIMEOUT + " after " + out.size()
                            + " messages").isNotNull();
                    if (m.messageType().isSystem() && !(m instanceof ImmutableTxnMessage)) {
                        continue;
                    }
                    out.add(m);
                    if (name.equals(m.property(ReliabilityTestUtils.MARKER))) {
                        return out;
                    }
                }
            }
        }

        private static Map<String, String> userOnly(Map<String, String> props) {
            Map<String, String> out = new LinkedHashMap<>();
            props.forEach((k, v) -> {
                if (!k.startsWith("_")) {
                    out.put(k, v);
                }
            });
            return out;
        }

        @Override
        public void close() {
            if (wal != null) {
                wal.close();
            }
            if (opener != null) {
                opener.close();
            }
        }
    }

    /** An id of a backend that does not exist. */
    private static final class AlienId implements MessageId {
        @Override
        public String walName() {
            return "alien";
        }

        @Override
        public byte[] marshal() {
            return new byte[] {42};
        }

        @Override
        public int compareTo(MessageId other) {
            if (!(other instanceof AlienId)) {
                throw new IllegalArgumentException("cannot compare alien:42 with " + other);
            }
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AlienId;
        }

        @Override
        public int hashCode() {
            return 42;
        }

        @Override
        public String toString() {
            return "alien:42" + Arrays.toString(marshal());
        }
    }
}
