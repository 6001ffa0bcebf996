package io.wal4j.impls.kafka;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that shares one {@link TestBroker} among every test class of the run that uses it: started by
 * the first class, closed by JUnit when the run ends (the broker is an {@link AutoCloseable} in the root store).
 * Classes that restart their broker start their own instead.
 */
final class SharedKafkaBroker implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedKafkaBroker.class);

    private static volatile TestBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("broker", key -> {
            try {
                return TestBroker.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded Kafka broker", e);
            }
        }, TestBroker.class);
    }

    /** @return the shared broker; only inside a class extended with this extension */
    static TestBroker broker() {
        TestBroker current = broker;
        if (current == null) {
            throw new IllegalStateException("no shared broker: extend the test class with SharedKafkaBroker");
        }
        return current;
    }
}
