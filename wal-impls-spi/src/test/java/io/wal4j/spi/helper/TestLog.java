package io.wal4j.spi.helper;

import io.wal4j.api.message.ImmutableMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** A minimal in-test storage for {@link PullScanner}: a list readers wait on with a condition. Thread-safe. */
final class TestLog {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<ImmutableMessage> messages = new ArrayList<>();

    void append(ImmutableMessage message) {
        lock.lock();
        try {
            messages.add(message);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return a cursor from the first message */
    PullScanner.Cursor cursor() {
        return new PullScanner.Cursor() {
            private int position;

            @Override
            public ImmutableMessage next(long timeoutNanos, BooleanSupplier stop) throws InterruptedException {
                long remaining = timeoutNanos;
                lock.lock();
                try {
                    while (true) {
                        if (stop.getAsBoolean()) {
                            return null;
                        }
                        if (position < messages.size()) {
                            return messages.get(position++);
                        }
                        if (remaining <= 0) {
                            return null;
                        }
                        if (timeoutNanos == Long.MAX_VALUE) {
                            changed.await();
                        } else {
                            remaining = changed.awaitNanos(remaining);
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void wakeUp() {
                lock.lock();
                try {
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }
}
