package io.wal4j.utility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseablesTest {

    private final List<String> closed = new ArrayList<>();

    @Test
    void closesInReverseOrderOfCreation() throws Exception {
        Closeables.closeAll(recording("a"), recording("b"), recording("c"));

        assertThat(closed).containsExactly("c", "b", "a");
    }

    @Test
    void closesAnIterableInReverseIterationOrder() throws Exception {
        Closeables.closeAll(List.of(recording("a"), recording("b"), recording("c")));

        assertThat(closed).containsExactly("c", "b", "a");
    }

    @Test
    void skipsNullResources() throws Exception {
        Closeables.closeAll(recording("a"), null, recording("c"));

        assertThat(closed).containsExactly("c", "a");
    }

    @Test
    void keepsGoingAfterAFailureAndThrowsTheFirstWithTheRestSuppressed() {
        IOException first = new IOException("c failed");
        IllegalStateException second = new IllegalStateException("a failed");

        assertThatThrownBy(() -> Closeables.closeAll(failing("a", second), recording("b"), failing("c", first)))
                .isSameAs(first)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(second));
        assertThat(closed).containsExactly("c", "b", "a");
    }

    @Test
    void anErrorIsRethrownAsItselfAfterClosingTheRest() {
        AssertionError error = new AssertionError("b failed");

        assertThatThrownBy(() -> Closeables.closeAll(recording("a"), failing("b", error), recording("c")))
                .isSameAs(error);
        assertThat(closed).containsExactly("c", "b", "a");
    }

    @Test
    void closeAllQuietlyReturnsNullWhenEverythingClosed() {
        assertThat(Closeables.closeAllQuietly(recording("a"), recording("b"))).isNull();
        assertThat(closed).containsExactly("b", "a");
    }

    @Test
    void closeAllQuietlyReturnsTheFirstFailureInsteadOfThrowing() {
        RuntimeException first = new RuntimeException("b failed");
        RuntimeException second = new RuntimeException("a failed");

        Throwable failure = Closeables.closeAllQuietly(failing("a", second), failing("b", first));

        assertThat(failure).isSameAs(first);
        assertThat(failure.getSuppressed()).containsExactly(second);
        assertThat(closed).containsExactly("b", "a");
    }

    @Test
    void theSameExceptionThrownTwiceIsNotSuppressedInItself() {
        RuntimeException shared = new RuntimeException("shared");

        Throwable failure = Closeables.closeAllQuietly(failing("a", shared), failing("b", shared));

        assertThat(failure).isSameAs(shared);
        assertThat(failure.getSuppressed()).isEmpty();
    }

    @Test
    void anInterruptedCloseRestoresTheInterruptAndGoesOn() {
        InterruptedException interrupted = new InterruptedException("interrupted while closing b");
        try {
            Throwable failure = Closeables.closeAllQuietly(recording("a"), failing("b", interrupted));

            assertThat(failure).isSameAs(interrupted);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(closed).containsExactly("b", "a");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void nullArgumentsAreRefusedNamingThem() {
        assertThatThrownBy(() -> Closeables.closeAll((AutoCloseable[]) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("resources");
        assertThatThrownBy(() -> Closeables.closeAll((Iterable<AutoCloseable>) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("resources");
        assertThatThrownBy(() -> Closeables.closeAllQuietly((AutoCloseable[]) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("resources");
        assertThatThrownBy(() -> Closeables.closeAllQuietly((Iterable<AutoCloseable>) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("resources");
    }

    @Test
    void theIterableIsReadBeforeAnythingIsClosed() throws Exception {
        List<AutoCloseable> resources = new ArrayList<>(Arrays.asList(recording("a"), recording("b")));
        // A resource that removes itself from its owner's list while closing must not disturb the iteration.
        resources.add(() -> {
            closed.add("c");
            resources.clear();
        });

        Closeables.closeAll(resources);

        assertThat(closed).containsExactly("c", "b", "a");
    }

    private AutoCloseable recording(String name) {
        return () -> closed.add(name);
    }

    private AutoCloseable failing(String name, Throwable failure) {
        return () -> {
            closed.add(name);
            if (failure instanceof Exception e) {
                throw e;
            }
            throw (Error) failure;
        };
    }
}
