package io.wal4j.adaptor;

import io.wal4j.adaptor.interceptor.InterceptorBuilder;
import io.wal4j.api.WALProviderException;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.api.AppendResult;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.ImmutableMessage;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WALRegistryTest {

    @Test
    void anUnknownBackendNameFailsWithWALProviderException() {
        assertThatThrownBy(() -> WALRegistry.builder("no-such-backend"))
                .isInstanceOf(WALProviderException.class).hasMessageContaining("no-such-backend");
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        InterceptorBuilder ok = p -> (ctx, m, next) -> next.append(ctx, m);

        assertThatThrownBy(() -> WALRegistry.builder((String) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> WALRegistry.builder((OpenerBuilderImpls) null))
                .isInstanceOf(NullPointerException.class).hasMessage("impls");
        assertThatThrownBy(() -> WALRegistry.builder(new FakeBackend(), ok, null))
                .isInstanceOf(NullPointerException.class).hasMessage("interceptorBuilders[1]");
        assertThatThrownBy(() -> WALRegistry.builder(new FakeBackend(), (InterceptorBuilder[]) null))
                .isInstanceOf(NullPointerException.class).hasMessage("interceptorBuilders");
    }

    @Test
    void aBuilderIsNamedAfterItsBackend() {
        assertThat(WALRegistry.builder(new FakeBackend()).name()).isEqualTo(FakeBackend.NAME);
    }

    @Test
    void theMemoryBackendIsFoundByNameAndWorksEndToEnd() throws Exception {
        try (Opener opener = WALRegistry.builder(MemoryOpenerBuilder.NAME).build(WALConfig.empty())) {
            WAL wal = opener.open(OpenOption.readWrite("e2e", 5));
            List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                appends.add(wal.appendAsync(MutableMessage.newBuilder()
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                        .vchannel(i % 2 == 0 ? "even" : "odd").property("i", Integer.toString(i)).build()));
            }
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(wal.metrics().appends()).isEqualTo(100);

            List<ImmutableMessage> all = new ArrayList<>();
            try (Scanner scanner = wal.read(ReadOption.all())) {
                for (int i = 0; i < 100; i++) {
                    all.add(AdaptorTestUtils.takeData(scanner));
                }
                assertThat(AdaptorTestUtils.pollData(scanner, Duration.ofMillis(1))).isNull();
            }
            assertThat(all).extracting(ImmutableMessage::timeTick).isSorted().doesNotHaveDuplicates();
            assertThat(all).extracting(ImmutableMessage::id)
                    .containsExactlyInAnyOrderElementsOf(appends.stream().map(f -> f.join().messageId()).toList());
            assertThat(all).allSatisfy(m -> assertThat(m.term()).hasValue(5));

            ReadOnlyWAL reader = opener.openReadOnly(OpenOption.readOnly("e2e", 5));
            try (Scanner evens = reader.read(ReadOption.newBuilder().vchannel("even").build())) {
                for (int i = 0; i < 50; i++) {
                    assertThat(AdaptorTestUtils.takeData(evens).vchannel()).isEqualTo("even");
                }
                assertThat(AdaptorTestUtils.pollData(evens, Duration.ofMillis(1))).isNull();
            }

            Scanner tail = wal.read(ReadOption.newBuilder().deliverPolicy(io.wal4j.api.DeliverPolicy.latest()).build());
            CompletableFuture<Throwable> released = CompletableFuture.supplyAsync(() -> {
                try {
                    AdaptorTestUtils.takeData(tail);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            wal.close();
            assertThat(released.get(10, TimeUnit.SECONDS)).isInstanceOf(WALClosedException.class);
            assertThat(wal.isAvailable()).isFalse();
            assertThat(reader.isAvailable()).isTrue();
        }
    }
}
