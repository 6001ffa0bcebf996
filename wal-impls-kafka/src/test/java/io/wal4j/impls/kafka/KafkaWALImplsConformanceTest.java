package io.wal4j.impls.kafka;

import io.wal4j.api.WALConfig;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.testkit.WALImplsConformanceTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** The backend contract kit against a real single-node KRaft broker running in this JVM. */
@ExtendWith(SharedKafkaBroker.class)
class KafkaWALImplsConformanceTest extends WALImplsConformanceTest {

    @Override
    protected OpenerBuilderImpls newBuilder() {
        return new KafkaOpenerBuilder();
    }

    @Override
    protected WALConfig config() {
        return SharedKafkaBroker.broker().config();
    }
}
