package io.wal4j.spi.registry;

import static io.wal4j.spi.registry.RegistryTestUtils.failing;
import static io.wal4j.spi.registry.RegistryTestUtils.line;
import static io.wal4j.spi.registry.RegistryTestUtils.location;
import static io.wal4j.spi.registry.RegistryTestUtils.provider;
import static io.wal4j.spi.registry.RegistryTestUtils.servicesLoader;
import static io.wal4j.spi.registry.RegistryTestUtils.sourceOf;
import static io.wal4j.spi.registry.RegistryTestUtils.sourceWithLookupErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.InvalidMessageIdException;
import io.wal4j.api.WALProviderException;
import io.wal4j.api.message.MessageId;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.api.message.MessageIds;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.TestMessageId;
import io.wal4j.spi.registry.TestBackends.Alpha;
import io.wal4j.spi.registry.TestBackends.AlphaTwin;
import io.wal4j.spi.registry.TestBackends.BadName;
import io.wal4j.spi.registry.TestBackends.Beta;
import io.wal4j.spi.registry.TestBackends.Broken;
import io.wal4j.spi.registry.TestBackends.Named;
import io.wal4j.spi.registry.TestBackends.NoDefaultConstructor;
import io.wal4j.spi.registry.TestBackends.NotABuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderTableTest {

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(10);

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    // ---------------------------------------------------------------- discovery through a real ServiceLoader

    @Test
    void discoveryFindsEveryProviderListedInTheServicesFile() throws Exception {
        ProviderTable table = serviceLoaderTable(line(Beta.class), line(Alpha.class));

        assertThat(table.names()).containsExactly("alpha", "beta");
        assertThat(table.find("alpha")).get().isInstanceOf(Alpha.class);
        assertThat(table.mustGet("beta")).isInstanceOf(Beta.class);
        assertThat(table.failures()).isEmpty();
    }

    @Test
    void aProviderWhoseConstructorThrowsIsIsolatedAndReported() throws Exception {
        ProviderTable table = serviceLoaderTable(line(Alpha.class), line(Broken.class), line(Beta.class));

        assertThat(table.names()).containsExactly("alpha", "beta");
        assertThat(table.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.provider()).contains(Broken.class.getName()).contains(location(Broken.class));
            assertThat(failure.cause()).isInstanceOf(ServiceConfigurationError.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("boom: Broken cannot start");
        });
    }

    @Test
    void missingClassesWrongTypesAndMissingConstructorsAreIsolatedAndReported() throws Exception {
        ProviderTable table = serviceLoaderTable(
                "io.wal4j.spi.registry.DoesNotExist",
                line(Alpha.class),
                line(NotABuilder.class),
                line(NoDefaultConstructor.class),
                line(BadName.class),
                line(Beta.class));

        assertThat(table.names()).containsExactly("alpha", "beta");
        List<String> reported = table.failures().stream().map(LoadFailure::toString).toList();
        assertThat(reported).hasSize(4);
        assertThat(reported.get(0)).contains("io.wal4j.spi.registry.DoesNotExist");
        assertThat(reported.get(1)).contains(NotABuilder.class.getName());
        assertThat(reported.get(2)).contains(NoDefaultConstructor.class.getName());
        assertThat(reported.get(3)).contains(BadName.class.getName()).contains("\"Bad_Name\"");
    }

    @Test
    void aDuplicateAmongDiscoveredProvidersIsReportedAndTheFirstKept() throws Exception {
        ProviderTable table = serviceLoaderTable(line(Alpha.class), line(AlphaTwin.class));

        assertThat(table.mustGet("alpha")).isInstanceOf(Alpha.class);
        assertThat(table.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.cause()).isInstanceOf(WALProviderException.class)
                    .hasMessageContaining("duplicate WAL backend name \"alpha\"")
                    .hasMessageContaining(Alpha.class.getName())
                    .hasMessageContaining(AlphaTwin.class.getName())
                    .hasMessageContaining(location(AlphaTwin.class));
        });
    }

    @Test
    void anUnknownNameListsTheAvailableNamesAndTheProvidersThatFailed() throws Exception {
        ProviderTable table = serviceLoaderTable(line(Alpha.class), line(Broken.class), line(Beta.class));

        assertThatThrownBy(() -> table.mustGet("gamma"))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("no WAL backend named \"gamma\"")
                .hasMessageContaining("available: [alpha, beta]")
                .hasMessageContaining(Broken.class.getName())
                .hasMessageContaining(location(Broken.class))
                .hasMessageContaining("boom: Broken cannot start")
                .hasRootCauseMessage("boom: Broken cannot start");
    }

    @Test
    void everyFailedProviderIsListedAndAttachedToTheUnknownNameException() {
        IllegalStateException first = new IllegalStateException("first failure");
        IllegalStateException second = new IllegalStateException("second failure");
        ProviderTable table = new ProviderTable(sourceOf(failing(Broken.class, first),
                provider(new Named("kept")), failing(BadName.class, second)));

        assertThatThrownBy(() -> table.mustGet("missing"))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("available: [kept]")
                .hasMessageContaining("first failure")
                .hasMessageContaining("second failure")
                .satisfies(e -> {
                    assertThat(e.getCause()).hasCause(first);
                    assertThat(e.getSuppressed()).singleElement()
                            .satisfies(s -> assertThat(s).hasCause(second));
                });
    }

    @Test
    void anUnknownNameSaysWhenNoProviderFailed() {
        ProviderTable table = new ProviderTable(sourceOf(provider(new Named("kept"))));

        assertThatThrownBy(() -> table.mustGet("missing"))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("available: [kept]")
                .hasMessageContaining("no provider failed to load")
                .hasNoCause();
    }

    @Test
    void findOfAnUnknownNameIsEmpty() {
        ProviderTable table = new ProviderTable(sourceOf(provider(new Named("kept"))));

        assertThat(table.find("missing")).isEmpty();
        assertThat(table.find("Not A Valid Name")).isEmpty();
    }

    // ---------------------------------------------------------------- discovery: once, lazily, thread-safely

    @Test
    void discoveryWaitsForTheFirstCall() {
        AtomicInteger lookups = new AtomicInteger();
        ProviderTable table = new ProviderTable(() -> {
            lookups.incrementAndGet();
            return List.of(provider(new Named("lazy"))).iterator();
        });
        assertThat(lookups).hasValue(0);

        assertThat(table.find("lazy")).isPresent();
        table.names();
        table.register(new Named("later"));

        assertThat(lookups).hasValue(1);
    }

    @Test
    void tenThreadsCallingFirstAtOnceDiscoverExactlyOnceAndAllSeeTheFullTable() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger constructions = new AtomicInteger();
        ProviderTable table = new ProviderTable(() -> {
            lookups.incrementAndGet();
            return List.of(provider(Named.class, () -> {
                constructions.incrementAndGet();
                return new Named("discovered-once");
            })).iterator();
        });
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> sawIt = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sawIt.add(pool.submit(() -> {
                start.await();
                return table.find("discovered-once").isPresent();
            }));
        }

        start.countDown();

        for (Future<Boolean> f : sawIt) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lookups).hasValue(1);
        assertThat(constructions).hasValue(1);
    }

    @Test
    void aProviderMayRegisterAnotherBuilderFromItsConstructorDuringDiscovery() {
        AtomicReference<ProviderTable> self = new AtomicReference<>();
        ProviderTable table = new ProviderTable(sourceOf(provider(Named.class, () -> {
            // The Milvus style: a backend registers itself (here: a sibling) while being loaded.
            self.get().register(new Named("registered-while-loading"));
            return new Named("loaded");
        })));
        self.set(table);

        assertThat(table.names()).containsExactly("loaded", "registered-while-loading");
        assertThat(table.failures()).isEmpty();
    }

    @Test
    void aProviderThatRegisteredItsOwnClassWhileLoadingIsNotADuplicate() {
        AtomicReference<ProviderTable> self = new AtomicReference<>();
        Named registeredByItself = new Named("self-registering");
        ProviderTable table = new ProviderTable(sourceOf(provider(Named.class, () -> {
            self.get().register(registeredByItself);
            return new Named("self-registering");
        })));
        self.set(table);

        assertThat(table.mustGet("self-registering")).isSameAs(registeredByItself);
        assertThat(table.failures()).isEmpty();
    }

    @Test
    void lookupErrorsOfTheIteratorAreIsolatedAndDiscoveryGoesOn() {
        ProviderTable table = new ProviderTable(sourceWithLookupErrors(Arrays.asList(
                null, provider(new Named("one")), null, null, provider(new Named("two")))));

        assertThat(table.names()).containsExactly("one", "two");
        assertThat(table.failures()).hasSize(3)
                .allSatisfy(f -> assertThat(f.cause()).isInstanceOf(ServiceConfigurationError.class));
        assertThat(table.failures().get(1).toString()).contains("entry 2 cannot be looked up");
    }

    @Test
    void aSourceThatCannotStartIsReportedAndRegistrationStillWorks() {
        ProviderTable table = new ProviderTable(() -> {
            throw new ServiceConfigurationError("services file unreadable");
        });

        table.register(new Named("manual"));

        assertThat(table.names()).containsExactly("manual");
        assertThatThrownBy(() -> table.mustGet("missing")).hasMessageContaining("services file unreadable");
    }

    @Test
    void aProviderReturningNullIsReported() {
        ProviderTable table = new ProviderTable(sourceOf(provider(Named.class, () -> null)));

        assertThat(table.names()).isEmpty();
        assertThat(table.failures()).singleElement()
                .satisfies(f -> assertThat(f.toString()).contains(Named.class.getName()).contains("returned null"));
    }

    // ---------------------------------------------------------------- programmatic registration

    @Test
    void registerThenFindAndMustGetReturnTheSameBuilder() {
        ProviderTable table = new ProviderTable(sourceOf());
        Named builder = new Named("gamma");

        table.register(builder);

        assertThat(table.find("gamma")).containsSame(builder);
        assertThat(table.mustGet("gamma")).isSameAs(builder);
    }

    @Test
    void registeringADuplicateNameFailsNamingBothClassesAndWhereTheyWereLoadedFrom() throws Exception {
        ProviderTable table = serviceLoaderTable(line(Alpha.class));

        assertThatThrownBy(() -> table.register(new AlphaTwin()))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("duplicate WAL backend name \"alpha\"")
                .hasMessageContaining("already registered by " + Alpha.class.getName()
                        + " (from " + location(Alpha.class) + ")")
                .hasMessageContaining("refusing " + AlphaTwin.class.getName()
                        + " (from " + location(AlphaTwin.class) + ")");
        assertThat(table.mustGet("alpha")).isInstanceOf(Alpha.class);
    }

    @Test
    void registeringTheSameNameTwiceFailsEvenWithTheSameClass() {
        ProviderTable table = new ProviderTable(sourceOf());
        Named first = new Named("gamma");
        table.register(first);

        assertThatThrownBy(() -> table.register(new Named("gamma")))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("\"gamma\"");
        assertThat(table.mustGet("gamma")).isSameAs(first);
    }

    @Test
    void tenThreadsRegisteringDistinctNamesAtOnceAllSucceed() throws Exception {
        ProviderTable table = new ProviderTable(sourceOf(provider(new Named("discovered"))));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> registrations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "concurrent-" + i;
            registrations.add(pool.submit(() -> {
                start.await();
                table.register(new Named(name));
                return null;
            }));
        }

        start.countDown();

        for (Future<?> f : registrations) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(table.names()).hasSize(11).contains("discovered")
                .contains("concurrent-0", "concurrent-5", "concurrent-9");
        for (int i = 0; i < 10; i++) {
            assertThat(table.mustGet("concurrent-" + i).name()).isEqualTo("concurrent-" + i);
        }
    }

    @Test
    void tenThreadsRegisteringTheSameNameAtOnceLetExactlyOneWin() throws Exception {
        ProviderTable table = new ProviderTable(sourceOf());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Named>> registrations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            registrations.add(pool.submit(() -> {
                Named mine = new Named("contended");
                start.await();
                table.register(mine);
                return mine;
            }));
        }

        start.countDown();

        List<Named> winners = new ArrayList<>();
        int refused = 0;
        for (Future<Named> f : registrations) {
            try {
                winners.add(f.get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(WALProviderException.class);
                refused++;
            }
        }
        assertThat(winners).hasSize(1);
        assertThat(refused).isEqualTo(9);
        assertThat(table.mustGet("contended")).isSameAs(winners.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Alpha", "1abc", "-abc", "a_b", "a b", "a/b", "a.b", "../x", "ä",
            "a0123456789012345678901234567890123456789012345678901234567890123"})
    void badNamesAreRefusedQuotingTheName(String name) {
        ProviderTable table = new ProviderTable(sourceOf());

        assertThatThrownBy(() -> table.register(new Named(name)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + name + "\"")
                .hasMessageContaining(OpenerBuilderImpls.VALID_NAME.pattern());
        assertThat(table.names()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a-", "a-1", "kafka", "a012345678901234567890123456789012345678901234567890123456789012"})
    void namesAtTheEdgeOfTheRulesAreAccepted(String name) {
        ProviderTable table = new ProviderTable(sourceOf());

        table.register(new Named(name));

        assertThat(table.find(name)).isPresent();
    }

    @Test
    void aNullNameIsRefused() {
        ProviderTable table = new ProviderTable(sourceOf());

        assertThatThrownBy(() -> table.register(new Named(null, new TestMessageId.Codec("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null name");
    }

    @Test
    void nullArgumentsAreRefusedNamingThem() {
        ProviderTable table = new ProviderTable(sourceOf());

        assertThatThrownBy(() -> table.register(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("builder");
        assertThatThrownBy(() -> table.find(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> table.mustGet(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
    }

    @Test
    void namesAreSortedAndUnmodifiable() {
        ProviderTable table = new ProviderTable(sourceOf(provider(new Named("zeta"))));
        table.register(new Named("alpha-two"));
        table.register(new Named("mu"));

        assertThat(table.names()).containsExactly("alpha-two", "mu", "zeta");
        assertThatThrownBy(() -> table.names().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---------------------------------------------------------------- message id codecs

    @Test
    void registeringABuilderRegistersItsCodecWithMessageIds() {
        ProviderTable table = new ProviderTable(sourceOf());

        table.register(new Named("codec-check"));

        MessageId id = MessageIds.unmarshal("codec-check", "42".getBytes(StandardCharsets.US_ASCII));
        assertThat(id).isEqualTo(new TestMessageId("codec-check", 42));
    }

    @Test
    void aCodecForAnotherNameIsRefused() {
        ProviderTable table = new ProviderTable(sourceOf());

        assertThatThrownBy(() -> table.register(new Named("codec-owner", new TestMessageId.Codec("someone-else"))))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("\"codec-owner\"")
                .hasMessageContaining("\"someone-else\"");
        assertThat(table.find("codec-owner")).isEmpty();
        assertThatThrownBy(() -> MessageIds.unmarshal("codec-owner", new byte[] {'1'}))
                .isInstanceOf(InvalidMessageIdException.class);
    }

    @Test
    void aNullCodecIsRefused() {
        ProviderTable table = new ProviderTable(sourceOf());

        assertThatThrownBy(() -> table.register(new Named("no-codec", null)))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("null message id codec");
        assertThat(table.find("no-codec")).isEmpty();
    }

    @Test
    void aCodecClashingWithAnotherClassAlreadyRegisteredIsRefused() {
        ProviderTable table = new ProviderTable(sourceOf());
        table.register(new Named("codec-clash"));
        ProviderTable other = new ProviderTable(sourceOf());
        MessageIdCodec foreign = new MessageIdCodec() {
            @Override
            public String walName() {
                return "codec-clash";
            }

            @Override
            public MessageId unmarshal(byte[] bytes) {
                throw new InvalidMessageIdException("never used");
            }
        };

        assertThatThrownBy(() -> other.register(new Named("codec-clash", foreign)))
                .isInstanceOf(WALProviderException.class)
                .hasMessageContaining("codec-clash")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(other.find("codec-clash")).isEmpty();
    }

    private ProviderTable serviceLoaderTable(String... lines) throws Exception {
        return new ProviderTable(ProviderSource.serviceLoader(servicesLoader(dir, lines)));
    }
}
