package io.wal4j.impls.kafka;

import io.wal4j.api.ChannelFencedException;
import io.wal4j.api.PChannelInfo;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALException;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.MessageId;
import io.wal4j.utility.NamedThreadFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of one channel: it takes every pending append (up to a bound), sends them in one Kafka
 * transaction of the channel's transactional producer, commits, and only then completes their futures with their
 * offsets, in offset order, on a separate completion thread (so no caller code runs on the writer thread). One commit
 * covers a whole batch: appends that arrive while a commit is in flight wait for the next one (group commit).
 *
 * <p>Failures:
 * <ul>
 *   <li>a fenced producer ({@code ProducerFencedException}, {@code InvalidProducerEpochException}): a newer writer
 *       took the channel's transactional id; the writer is fenced for good and every pending and later append fails
 *       with {@link ChannelFencedException};</li>
 *   <li>a commit that times out (the broker is away) is retried, as Kafka allows, until it succeeds, fails otherwise
 *       or the WAL's close gives up on it;</li>
 *   <li>any other failure aborts the transaction and fails that batch with {@link WALStorageException} (none of it
 *       was committed); if the abort fails too the producer is unusable and the writer is poisoned: every later
 *       append fails with that cause, or with {@link ChannelFencedException} if a higher term turns out to be
 *       recorded (a commit racing a take-over can end in such an unexplained fatal error; see {@link #poison}).</li>
 * </ul>
 *
 * <p>Invariant: offsets grow in send order within a transaction and across transactions of one producer, and a
 * batch's futures complete only after its commit, before the next batch's: so an append that completes before
 * another is called has the smaller id. Thread-safe: {@link #submit} from any thread.
 */
final class KafkaWriter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWriter.class);
    private static final long MAX_BATCH_BYTES = 8L << 20;
    private static final int RESOLVE_ATTEMPTS = 5;
    private static final Duration RESOLVE_INTERVAL = Duration.ofMillis(400);

    private final PChannelInfo channel;
    private final Producer<byte[], byte[]> producer;
    private final KafkaSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition pendingAvailable = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Thread thread;
    private final ExecutorService completer;
    private boolean stopping;
    private final Supplier<CompletableFuture<Long>> recordedTerm;
    private volatile boolean abandoned;
    /** Null while healthy; then the permanent failure, possibly still being resolved (see {@link #poison}). */
    private volatile CompletableFuture<WALException> failure;

    private KafkaWriter(PChannelInfo channel, Producer<byte[], byte[]> producer, KafkaSettings settings,
                        Supplier<CompletableFuture<Long>> recordedTerm) {
        this.channel = channel;
        this.producer = producer;
        this.settings = settings;
        this.recordedTerm = recordedTerm;
        this.completer = Executors.newSingleThreadExecutor(
                new NamedThreadFactory("wal4j-kafka-complete-" + channel.name()));
        this.thread = new NamedThreadFactory("wal4j-kafka-writer-" + channel.name()).newThread(this::run);
    }

    /**
     * @param producer     a transactional producer whose transactions are initialised; owned by the writer from now on
     * @param recordedTerm reads the channel's highest recorded term ({@link KafkaTerms}), asynchronously
     * @return a running writer
     */
    static KafkaWriter start(PChannelInfo channel, Producer<byte[], byte[]> producer, KafkaSettings settings,
                             Supplier<CompletableFuture<Long>> recordedTerm) {
        KafkaWriter writer = new KafkaWriter(channel, producer, settings, recordedTerm);
        writer.thread.start();
        return writer;
    }

    /** @return null while healthy, else completed (perhaps later) with the permanent failure: fenced or poisoned */
    CompletableFuture<WALException> failure() {
        return failure;
    }

    /** @return a future failed with the permanent failure once it is known */
    static <T> CompletableFuture<T> failedWith(CompletableFuture<WALException> failure) {
        CompletableFuture<T> result = new CompletableFuture<>();
        failure.whenComplete((cause, ignored) -> result.completeExceptionally(cause));
        return result;
    }

    /**
     * Queues a record for the next transaction.
     *
     * @param size the message's size, for bounding a batch
     * @return completed with the record's id after its transaction committed, or exceptionally
     */
    CompletableFuture<MessageId> submit(ProducerRecord<byte[], byte[]> record, long size) {
        Pending pending = new Pending(record, size, new CompletableFuture<>());
        lock.lock();
        try {
            CompletableFuture<WALException> failed = failure;
            if (failed != null) {
                return failedWith(failed);
            }
            if (stopping) {
                return CompletableFuture.failedFuture(new WALClosedException("kafka WAL " + channel
                        + " is closing"));
            }
            queue.add(pending);
            pendingAvailable.signal();
        } finally {
            lock.unlock();
        }
        return pending.future;
    }

    private void run() {
        while (true) {
            List<Pending> batch = nextBatch();
            if (batch.isEmpty()) {
                return;
            }
            CompletableFuture<WALException> failed = failure;
            if (failed != null) {
                fail(batch, failed);
            } else if (abandoned) {
                fail(batch, CompletableFuture.completedFuture(abandonedException()));
            } else {
                commit(batch);
            }
        }
    }

    /** @return the next batch, waiting for one; empty once stopping with nothing left */
    private List<Pending> nextBatch() {
        lock.lock();
        try {
            while (queue.isEmpty() && !stopping) {
                pendingAvailable.awaitUninterruptibly();
            }
            List<Pending> batch = new ArrayList<>();
            long bytes = 0;
            while (!queue.isEmpty() && batch.size() < settings.maxBatchMessages()
                    && (batch.isEmpty() || bytes + queue.peek().size <= MAX_BATCH_BYTES)) {
                Pending next = queue.poll();
                bytes += next.size;
                batch.add(next);
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void commit(List<Pending> batch) {
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                sent.add(producer.send(p.record));
            }
            commitRetryingTimeouts();
            long[] offsets = new long[batch.size()];
            for (int i = 0; i < offsets.length; i++) {
                // Complete already: a commit returns only after every send of its transaction succeeded.
                offsets[i] = sent.get(i).get().offset();
            }
            completer.execute(() -> {
                for (int i = 0; i < offsets.length; i++) {
                    batch.get(i).future.complete(KafkaMessageId.of(offsets[i]));
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handleFailure(batch, e);
        } catch (Exception e) {
            handleFailure(batch, e);
        }
    }

    private void commitRetryingTimeouts() {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (abandoned) {
                    throw e;
                }
                LOG.warn("commit on {} timed out after {}; retrying (is the cluster at {} reachable?)", channel,
                        settings.requestTimeout(), settings.servers());
            }
        }
    }

    private void handleFailure(List<Pending> batch, Exception cause) {
        if (abandoned) {
            // close() gave up while this batch was in flight: whether its commit happened is unknown.
            fail(batch, CompletableFuture.completedFuture(abandonedException()));
            return;
        }
        if (KafkaErrors.isFenced(cause)) {
            fence(cause);
            fail(batch, failure);
            return;
        }
        WALStorageException batchFailure = KafkaErrors.storage("appending " + batch.size() + " messages to "
                + settings.topic(channel.name()) + " (nothing of them was committed)", settings, cause);
        try {
            abortRetryingTimeouts();
        } catch (RuntimeException abortFailure) {
            if (abandoned) {
                // close() gave up while the abort waited for the cluster; the producer is closed.
                fail(batch, CompletableFuture.completedFuture(abandonedException()));
                return;
            }
            if (KafkaErrors.isFenced(abortFailure)) {
                fence(abortFailure);
            } else {
                WALStorageException poisoned = KafkaErrors.storage("aborting a failed transaction of the writer of "
                        + channel + " (the producer is unusable; reopen the WAL)", settings, abortFailure);
                poisoned.addSuppressed(cause);
                poison(poisoned);
            }
            fail(batch, failure);
            return;
        }
        LOG.warn("appends to {} failed and were aborted: {}", channel, batchFailure.getMessage());
        fail(batch, CompletableFuture.completedFuture(batchFailure));
    }

    private void abortRetryingTimeouts() {
        while (true) {
            try {
                producer.abortTransaction();
                return;
            } catch (TimeoutException e) {
                if (abandoned) {
                    throw e;
                }
            }
        }
    }

    private void fence(Throwable cause) {
        if (failure == null) {
            failure = CompletableFuture.completedFuture(new ChannelFencedException(channel.name(), channel.term(),
                    "another writer took over the channel's transactional id " + settings.topic(channel.name())
                            + " (" + KafkaErrors.unwrap(cause) + ")"));
            LOG.info("writer of {} is fenced", channel);
        }
    }

    /**
     * Poisons the writer after a fatal producer error that does not say it was fenced. A commit that races with a
     * newer writer's take-over can get such an error (the broker has been seen to answer UNKNOWN_SERVER_ERROR while
     * it fences the epoch), so before settling on {@code cause} the writer looks for a higher recorded term, a few
     * times over about two seconds (the newer writer records its term right after taking over); if it finds one, the
     * permanent failure is {@link ChannelFencedException}. Appends and truncates of the meantime fail with whatever
     * the resolution settles on.
     */
    private void poison(WALStorageException cause) {
        if (failure == null) {
            LOG.warn("writer of {} stops for good", channel, cause);
            failure = resolve(cause, 0);
        }
    }

    private CompletableFuture<WALException> resolve(WALStorageException cause, int attempt) {
        CompletableFuture<WALException> resolved = new CompletableFuture<>();
        recordedTerm.get().whenCompleteAsync((term, lookupFailure) -> {
            if (lookupFailure == null && term > channel.term()) {
                resolved.complete(new ChannelFencedException(channel.name(), channel.term(), "a writer at term "
                        + term + " took the channel over; the broker reported the take-over as: "
                        + cause.getMessage()));
            } else if (attempt < RESOLVE_ATTEMPTS) {
                CompletableFuture.delayedExecutor(RESOLVE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> resolve(cause, attempt + 1).whenComplete((r, ignored) -> resolved.complete(r)));
            } else {
                resolved.complete(cause);
            }
        });
        return resolved;
    }

    /** Fails every append of {@code batch} with the cause, once known; not on the writer's or Kafka's threads. */
    private void fail(List<Pending> batch, CompletableFuture<WALException> cause) {
        cause.whenCompleteAsync((failed, ignored) -> batch.forEach(p -> p.future.completeExceptionally(failed)));
    }

    private WALClosedException abandonedException() {
        return new WALClosedException("kafka WAL " + channel + " was closed before this append could be committed "
                + "(the cluster at " + settings.servers() + " did not answer in time); it was not acknowledged and "
                + "may or may not be stored");
    }

    /**
     * Stops the writer: no more submissions are accepted, the pending ones are committed (waiting at most
     * {@code patience}; after that they fail with {@link WALClosedException} and a commit in flight is given up,
     * outcome unknown), every future is completed, the producer is closed. Idempotent; never throws.
     */
    void close(Duration patience) {
        lock.lock();
        try {
            stopping = true;
            pendingAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        try {
            thread.join(patience.toMillis());
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (thread.isAlive()) {
            abandoned = true;
            LOG.warn("writer of {} did not drain within {}; giving up on its pending appends", channel, patience);
            producer.close(Duration.ZERO);
            // Bounded by the producer's max.block.ms: every blocking producer call returns by then.
            interrupted |= joinUninterruptibly();
        }
        closeQuietly();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether this thread was interrupted while joining the writer thread */
    private boolean joinUninterruptibly() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    private void closeQuietly() {
        try {
            producer.close(abandoned ? Duration.ZERO : settings.requestTimeout());
        } catch (RuntimeException e) {
            LOG.debug("closing the producer of {} failed", channel, e);
        }
        completer.shutdown();
        try {
            if (!completer.awaitTermination(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                completer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            completer.shutdownNow();
        }
    }

    /** One queued append. */
    private record Pending(ProducerRecord<byte[], byte[]> record, long size, CompletableFuture<MessageId> future) {
    }
}
