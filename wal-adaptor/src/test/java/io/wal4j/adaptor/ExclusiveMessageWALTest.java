package io.wal4j.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.AppendResult;
import io.wal4j.api.InvalidTransactionStateException;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.Txn;
import io.wal4j.api.WAL;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Exclusive message types over the memory backend: they fail open transactions and are ordered alone. */
class ExclusiveMessageWALTest {

    private static final MessageType FLUSH = MessageType.define("test-flush", true);
    private static final MessageType INSERT = MessageType.define("test-insert");

    private final List<Opener> openers = new ArrayList<>();

    private WAL open(String name) {
        Map<String, String> config = new HashMap<>(AdaptorTestUtils.timeTicks().asMap());
        config.put(MemoryOpenerBuilder.STORE.name(), "exclusive-" + UUID.randomUUID());
        Opener opener = WALRegistry.builder(MemoryOpenerBuilder.NAME).build(WALConfig.of(config));
        openers.add(opener);
        return opener.open(OpenOption.readWrite(name, 1));
    }

    @AfterEach
    void close() {
        openers.forEach(Opener::close);
    }

    private static MutableMessage of(MessageType type, String vchannel) {
        return MutableMessage.newBuilder().messageType(type).vchannel(vchannel).build();
    }

    @Test
    void anExclusiveMessageFailsTheTransactionsOpenOnItsVChannelOnly() {
        WAL wal = open("fail-v1");
        Txn onV1 = wal.beginTxn("v1", Duration.ofMinutes(1));
        Txn onV2 = wal.beginTxn("v2", Duration.ofMinutes(1));
        onV1.append(of(INSERT, "v1"));
        wal.append(of(FLUSH, "v1"));
        assertThatThrownBy(() -> onV1.append(of(INSERT, "v1"))).isInstanceOf(InvalidTransactionStateException.class)
                .hasMessageContaining("FAILED");
        assertThatThrownBy(onV1::commit).isInstanceOf(InvalidTransactionStateException.class);
        onV2.append(of(INSERT, "v2"));
        assertThat(onV2.commit().messageId()).isNotNull();
    }

    @Test
    void aChannelWideExclusiveMessageFailsEveryOpenTransaction() {
        WAL wal = open("fail-all");
        Txn onV1 = wal.beginTxn("v1", Duration.ofMinutes(1));
        Txn onV2 = wal.beginTxn("v2", Duration.ofMinutes(1));
        wal.append(of(FLUSH, ""));
        assertThatThrownBy(onV1::commit).isInstanceOf(InvalidTransactionStateException.class);
        assertThatThrownBy(onV2::rollback).isInstanceOf(InvalidTransactionStateException.class);
        assertThat(wal.beginTxn("v1", Duration.ofMinutes(1)).commit().messageId()).isNotNull();
    }

    @Test
    void anExclusiveMessageCannotBeATransactionBody() {
        WAL wal = open("no-exclusive-body");
        Txn txn = wal.beginTxn("v1", Duration.ofMinutes(1));
        assertThatThrownBy(() -> txn.append(of(FLUSH, "v1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exclusive");
    }

    @Test
    void underConcurrentAppendsEveryExclusiveMessageIsOrderedByTimeTickExactlyAsByIdOnItsVChannel() {
        WAL wal = open("ordering");
        List<CompletableFuture<AppendResult>> inserts = new ArrayList<>();
        List<CompletableFuture<AppendResult>> flushes = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            if (i % 50 == 25) {
                flushes.add(wal.appendAsync(of(FLUSH, i % 100 == 25 ? "v1" : "")));
            } else {
                inserts.add(wal.appendAsync(of(INSERT, "v1")));
            }
        }
        CompletableFuture.allOf(inserts.toArray(CompletableFuture[]::new)).join();
        CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new)).join();
        for (CompletableFuture<AppendResult> f : flushes) {
            AppendResult flush = f.join();
            for (CompletableFuture<AppendResult> g : inserts) {
                AppendResult insert = g.join();
                boolean beforeByTick = insert.timeTick() < flush.timeTick();
                boolean beforeById = insert.messageId().compareTo(flush.messageId()) < 0;
                assertThat(beforeByTick).as("insert %s vs flush %s", insert, flush).isEqualTo(beforeById);
            }
        }
    }

    @Test
    void transactionsRacingWithExclusiveMessagesEitherCommitWholeOrFailWithInvalidStateAndNothingDeadlocks()
            throws Exception {
        WAL wal = open("racing");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Map.Entry<AppendResult, Integer>>> txns = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String vchannel = "v" + (i % 3);
                int bodies = i % 4;
                txns.add(CompletableFuture.supplyAsync(() -> {
                    Txn txn = wal.beginTxn(vchannel, Duration.ofMinutes(1));
                    try {
                        for (int b = 0; b < bodies; b++) {
                            txn.append(of(INSERT, vchannel));
                        }
                        return Map.entry(txn.commit(), bodies);
                    } catch (InvalidTransactionStateException failedByExclusive) {
                        return null;
                    }
                }, pool));
            }
            List<CompletableFuture<AppendResult>> flushes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                flushes.add(wal.appendAsync(of(FLUSH, i % 10 == 0 ? "" : "v" + (i % 3))));
            }
            CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
            Map<io.wal4j.api.message.MessageId, Integer> committed = new HashMap<>();
            for (CompletableFuture<Map.Entry<AppendResult, Integer>> f : txns) {
                Map.Entry<AppendResult, Integer> outcome = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (outcome != null) {
                    committed.put(outcome.getKey().messageId(), outcome.getValue());
                }
            }
            AppendResult end = wal.append(of(INSERT, "end"));
            Map<io.wal4j.api.message.MessageId, Integer> delivered = new HashMap<>();
            try (io.wal4j.api.Scanner scanner = wal.read(io.wal4j.api.ReadOption.all())) {
                while (true) {
                    io.wal4j.api.message.ImmutableMessage m = scanner.poll(Duration.ofSeconds(10));
                    assertThat(m).isNotNull();
                    if (m.id().equals(end.messageId())) {
                        break;
                    }
                    if (m instanceof io.wal4j.api.message.ImmutableTxnMessage txn) {
                        delivered.put(txn.id(), txn.size());
                    }
                }
            }
            assertThat(delivered).isEqualTo(committed);
            assertThat(wal.txnMetrics().open()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
