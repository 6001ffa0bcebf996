package io.wal4j.bench;

import io.wal4j.api.message.ImmutableMessage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * B7: {@code scanners} tailing scanners on one channel, through the full adaptor ({@code memory}, or {@code file} at
 * {@code DISK}). First the heap per idle scanner: heap in use (after GC, {@link MemoryMXBean}) before and after
 * opening them, divided by their number, printed as {@code HEAP B7 …}. Then one consumer thread per scanner (the
 * user's threads, 256 KiB stacks) and a fixed {@code rate} of appends; every delivery's latency from the append's
 * intended send time goes into HdrHistogram, printed as {@code HDR B7 …}. The JMH score is only the iteration's wall
 * time. Not thread-safe: one benchmark thread plus the consumers it starts.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ManyScannersBenchmark {

    @Param({"memory", "file"})
    public String target;

    @Param({"1000"})
    public int scanners;

    @Param({"100"})
    public long rate;

    @Param({"128"})
    public int payload;

    @Param({"3000"})
    public long runMillis;

    private final Latencies latencies = new Latencies();
    private final Semaphore delivered = new Semaphore(0);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Target.Tail> tails = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private volatile boolean running = true;
    private Target wal4j;

    @Setup(Level.Trial)
    public void open() {
        wal4j = Target.open(target);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = heapAfterGc(memory);
        for (int i = 0; i < scanners; i++) {
            tails.add(wal4j.tail("b7-" + i));
        }
        long after = heapAfterGc(memory);
        System.out.println(String.format(Locale.ROOT, "HEAP B7 target=%s scanners=%d before=%d after=%d perScanner=%d B",
                target, scanners, before, after, (after - before) / scanners));
        for (int i = 0; i < scanners; i++) {
            Target.Tail tail = tails.get(i);
            Thread t = new Thread(null, () -> consume(tail), "wal4j-bench-b7-consumer-" + i, 256 * 1024);
            t.setDaemon(true);
            t.start();
            consumers.add(t);
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        // Several rounds: one System.gc() may leave garbage that finalisation or reference processing frees later.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private void consume(Target.Tail tail) {
        try {
            while (running) {
                ImmutableMessage m = tail.poll(Duration.ofMillis(200));
                if (m != null && !m.messageType().isSystem()) {
                    latencies.record(System.nanoTime() - Payloads.stampOf(m.payloadBuffer()));
                    delivered.release();
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                failure.compareAndSet(null, e);
            }
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
        System.out.println(latencies.summary("B7 target=" + target + " scanners=" + scanners + " rate=" + rate
                + " payload=" + payload));
        running = false;
        tails.forEach(Target.Tail::close);
        for (Thread t : consumers) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        wal4j.close();
    }

    @Benchmark
    public long send() throws InterruptedException {
        long sent = FixedRateSender.run(rate, TimeUnit.MILLISECONDS.toNanos(runMillis),
                intended -> wal4j.append(Payloads.stamped(intended, payload)).whenComplete((r, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                }));
        long expected = sent * scanners;
        if (!delivered.tryAcquire(Math.toIntExact(expected), 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + delivered.availablePermits() + " of " + expected
                    + " deliveries within 120 s", failure.get());
        }
        return sent;
    }
}
