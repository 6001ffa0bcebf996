package io.wal4j.spi.registry;

import static io.wal4j.spi.registry.RegistryTestUtils.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.WALProviderException;
import io.wal4j.api.message.MessageIds;
import io.wal4j.spi.TestMessageId;
import io.wal4j.spi.registry.TestBackends.Broken;
import io.wal4j.spi.registry.TestBackends.Discovered;
import io.wal4j.spi.registry.TestBackends.Named;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The static facade over the process-wide table. This module's test classpath lists {@link Discovered} and
 * {@link Broken} in {@code META-INF/services}; every name used here starts with {@code spi-test-} so nothing else
 * in the JVM collides with it.
 */
class WALImplsRegistryTest {

    @Test
    void providersListedOnTheClasspathAreDiscovered() {
        assertThat(WALImplsRegistry.find("spi-test-discovered")).get().isInstanceOf(Discovered.class);
        assertThat(WALImplsRegistry.names()).contains("spi-test-discovered");
    }

    @Test
    void aBrokenProviderOnTheClasspathDoesNotHideTheOthersAndIsReported() {
        assertThat(WALImplsRegistry.mustGet("spi-test-discovered")).isInstanceOf(Discovered.class);

        assertThatThrownBy(() -> WALImplsRegistry.mustGet("spi-test-missing"))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("no WAL backend named \"spi-test-missing\"")
                .hasMessageContaining("spi-test-discovered")
                .hasMessageContaining(Broken.class.getName())
                .hasMessageContaining(location(Broken.class))
                .hasMessageContaining("boom: Broken cannot start");
    }

    @Test
    void discoveredBackendsHaveTheirCodecRegistered() {
        WALImplsRegistry.names();

        assertThat(MessageIds.unmarshal("spi-test-discovered", "7".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new TestMessageId("spi-test-discovered", 7));
    }

    @Test
    void registeredBackendsAreFoundByName() {
        Named builder = new Named("spi-test-registered");

        WALImplsRegistry.register(builder);

        assertThat(WALImplsRegistry.find("spi-test-registered")).containsSame(builder);
        assertThat(WALImplsRegistry.mustGet("spi-test-registered")).isSameAs(builder);
        assertThat(WALImplsRegistry.names()).contains("spi-test-registered", "spi-test-discovered");
        assertThat(new ArrayList<>(WALImplsRegistry.names())).isSorted();
    }

    @Test
    void registeringADiscoveredNameFailsNamingBothClasses() {
        assertThatThrownBy(() -> WALImplsRegistry.register(new Named("spi-test-discovered")))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining(Discovered.class.getName())
                .hasMessageContaining(Named.class.getName())
                .hasMessageContaining(location(Named.class));
    }

    @Test
    void badNamesAndNullsAreRefused() {
        assertThatThrownBy(() -> WALImplsRegistry.register(new Named("Spi Test")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Spi Test\"");
        assertThatThrownBy(() -> WALImplsRegistry.register(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("builder");
        assertThatThrownBy(() -> WALImplsRegistry.find(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> WALImplsRegistry.mustGet(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
    }

    @Test
    void tenThreadsRegisteringDistinctNamesAtOnceAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> registrations = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String name = "spi-test-concurrent-" + i;
                registrations.add(pool.submit(() -> {
                    start.await();
                    WALImplsRegistry.register(new Named(name));
                    return null;
                }));
            }

            start.countDown();

            for (Future<?> f : registrations) {
                f.get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(WALImplsRegistry.find("spi-test-concurrent-" + i)).isPresent();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
