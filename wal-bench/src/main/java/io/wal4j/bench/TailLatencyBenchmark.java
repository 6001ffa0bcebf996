package io.wal4j.bench;

import io.wal4j.api.message.ImmutableMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * B4: tail latency, append to delivery at a tailing reader, at a fixed {@code rate} of {@code payload}-byte appends,
 * measured from each append's intended send time (coordinated-omission correction) to the moment a consumer thread
 * holds the message. Targets: {@code memory}/{@code file} through the full adaptor (file at {@code DISK}),
 * {@code memory-spi}/{@code file-spi} through the raw SPI, and {@code chronicle}: a Chronicle Queue tailer on a
 * {@code Pauser.balanced()} (Chronicle's usual low-latency reader, buffered, no fsync). The result is the line
 * starting with {@code HDR B4} printed at the end of each trial; the JMH score is only the iteration's wall time.
 * Not thread-safe: one benchmark thread plus the consumer thread it starts.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {Chronicle.NO_ANALYTICS, Chronicle.E1, Chronicle.E2, Chronicle.E3, Chronicle.E4,
        Chronicle.O1, Chronicle.O2, Chronicle.O3, Chronicle.O4, Chronicle.O5, Chronicle.O6, Chronicle.O7})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class TailLatencyBenchmark {

    @Param({"memory-spi", "memory", "file-spi", "file", "chronicle"})
    public String target;

    @Param({"10000"})
    public long rate;

    @Param({"128"})
    public int payload;

    @Param({"3000"})
    public long runMillis;

    private final Latencies latencies = new Latencies();
    private final Semaphore delivered = new Semaphore(0);
    private final AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
    private volatile boolean running = true;
    private Thread consumer;
    private Target wal4j;
    private Target.Tail tail;
    private Path chronicleDir;
    private ChronicleQueue queue;
    private ExcerptAppender appender;
    private Bytes<?> excerpt;
    private byte[] padding;

    @Setup(Level.Trial)
    public void open() throws InterruptedException {
        padding = new byte[Math.max(0, payload - Long.BYTES)];
        CountDownLatch ready = new CountDownLatch(1);
        if (target.equals("chronicle")) {
            chronicleDir = BenchDirs.create("b4-chronicle");
            queue = Chronicle.open(chronicleDir);
            appender = queue.createAppender();
            excerpt = Bytes.allocateElasticDirect(payload);
            consumer = new Thread(() -> chronicleConsumer(ready), "wal4j-bench-b4-tailer");
        } else {
            wal4j = Target.open(target);
            tail = wal4j.tail("b4");
            consumer = new Thread(() -> wal4jConsumer(ready), "wal4j-bench-b4-consumer");
        }
        consumer.setDaemon(true);
        consumer.start();
        ready.await();
    }

    private void wal4jConsumer(CountDownLatch ready) {
        ready.countDown();
        try {
            while (running) {
                ImmutableMessage m = tail.poll(Duration.ofMillis(100));
                if (m != null && !m.messageType().isSystem()) {
                    latencies.record(System.nanoTime() - Payloads.stampOf(m.payloadBuffer()));
                    delivered.release();
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                consumerFailure.set(e);
            }
        }
    }

    private void chronicleConsumer(CountDownLatch ready) {
        // A Chronicle tailer belongs to the thread that created it.
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.toEnd();
            ready.countDown();
            Pauser pauser = Pauser.balanced();
            while (running) {
                boolean read;
                try (DocumentContext dc = tailer.readingDocument()) {
                    read = dc.isPresent();
                    if (read) {
                        latencies.record(System.nanoTime() - dc.wire().bytes().readLong());
                    }
                }
                if (read) {
                    delivered.release();
                    pauser.reset();
                } else {
                    pauser.pause();
                }
            }
        } catch (RuntimeException e) {
            consumerFailure.set(e);
            ready.countDown();
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        latencies.startIteration(params.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        latencies.endIteration();
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        System.out.println(latencies.summary("B4 target=" + target + " rate=" + rate + " payload=" + payload));
        running = false;
        if (wal4j != null) {
            tail.close();
            consumer.join(TimeUnit.SECONDS.toMillis(5));
            wal4j.close();
        } else {
            consumer.join(TimeUnit.SECONDS.toMillis(5));
            appender.close();
            queue.close();
            BenchDirs.delete(chronicleDir);
        }
    }

    @Benchmark
    public long send() throws InterruptedException {
        long sent = FixedRateSender.run(rate, TimeUnit.MILLISECONDS.toNanos(runMillis), this::sendOne);
        if (!delivered.tryAcquire(Math.toIntExact(sent), 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + delivered.availablePermits() + " of " + sent
                    + " messages delivered within 60 s", consumerFailure.get());
        }
        return sent;
    }

    private void sendOne(long intended) {
        if (appender != null) {
            excerpt.clear();
            excerpt.writeLong(intended);
            excerpt.write(padding);
            appender.writeBytes(excerpt);
        } else {
            wal4j.append(Payloads.stamped(intended, payload)).whenComplete((r, e) -> {
                if (e != null) {
                    consumerFailure.compareAndSet(null, e);
                }
            });
        }
    }
}
