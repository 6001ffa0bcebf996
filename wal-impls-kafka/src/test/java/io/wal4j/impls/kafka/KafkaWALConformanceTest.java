package io.wal4j.impls.kafka;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.OpenerBuilder;
import io.wal4j.api.WALConfig;
import io.wal4j.testkit.WALConformanceTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** The user contract kit: this backend under the adaptor, against the embedded broker. */
@ExtendWith(SharedKafkaBroker.class)
class KafkaWALConformanceTest extends WALConformanceTest {

    @Override
    protected OpenerBuilder newBuilder() {
        return WALRegistry.builder(new KafkaOpenerBuilder());
    }

    @Override
    protected WALConfig config() {
        return SharedKafkaBroker.broker().config();
    }
}
