package io.wal4j.utility;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Closes several resources the way wal4j closes everything: in reverse order of creation, going on after a
 * failure, keeping the first failure and adding every later one to it as suppressed.
 *
 * <p>Stateless and thread-safe; the resources themselves decide whether closing them concurrently is safe.
 */
public final class Closeables {

    private Closeables() {
    }

    /**
     * Closes {@code resources} from last to first (they are listed in creation order). Null elements are skipped.
     *
     * @param resources the resources, in the order they were created
     * @throws Exception            the first failure, with every later one suppressed in it
     * @throws NullPointerException if {@code resources} is null
     */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        Objects.requireNonNull(resources, "resources");
        closeAll(Arrays.asList(resources));
    }

    /**
     * Closes {@code resources} from last to first (iteration order is creation order). Null elements are skipped.
     *
     * @param resources the resources, in the order they were created; iterated once before any is closed
     * @throws Exception            the first failure, with every later one suppressed in it
     * @throws NullPointerException if {@code resources} is null
     */
    public static void closeAll(Iterable<? extends AutoCloseable> resources) throws Exception {
        Throwable failure = closeAllQuietly(resources);
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            // A bare Throwable subclass: neither checked-exception nor Error; keep it visible.
            throw new Exception("closing failed", failure);
        }
    }

    /**
     * Closes {@code resources} from last to first and never throws. Meant for {@code close()} methods, which must not
     * throw: the caller logs or rethrows what comes back. If a close throws {@link InterruptedException}, the current
     * thread's interrupt status is set again before going on.
     *
     * @param resources the resources, in the order they were created; null elements are skipped
     * @return the first failure with every later one suppressed in it, or null if all closed cleanly
     * @throws NullPointerException if {@code resources} is null
     */
    public static Throwable closeAllQuietly(AutoCloseable... resources) {
        Objects.requireNonNull(resources, "resources");
        return closeAllQuietly(Arrays.asList(resources));
    }

    /**
     * Closes {@code resources} from last to first and never throws; see {@link #closeAllQuietly(AutoCloseable...)}.
     *
     * @param resources the resources, in the order they were created; null elements are skipped
     * @return the first failure with every later one suppressed in it, or null if all closed cleanly
     * @throws NullPointerException if {@code resources} is null
     */
    public static Throwable closeAllQuietly(Iterable<? extends AutoCloseable> resources) {
        Objects.requireNonNull(resources, "resources");
        List<AutoCloseable> inOrder = new ArrayList<>();
        resources.forEach(inOrder::add);
        Throwable first = null;
        for (int i = inOrder.size() - 1; i >= 0; i--) {
            first = accumulate(first, closeOne(inOrder.get(i)));
        }
        return first;
    }

    private static Throwable closeOne(AutoCloseable resource) {
        if (resource == null) {
            return null;
        }
        try {
            resource.close();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (Throwable t) {
            // Keep going whatever the failure: the remaining resources must still be released.
            return t;
        }
    }

    private static Throwable accumulate(Throwable first, Throwable next) {
        if (next == null) {
            return first;
        }
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }
}
