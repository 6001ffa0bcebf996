package io.wal4j.adaptor;

import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.ReadOnlyWAL;
import io.wal4j.api.ReadOption;
import io.wal4j.api.Scanner;
import io.wal4j.api.WAL;
import io.wal4j.api.WALClosedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.wal4j.adaptor.AdaptorTestUtils.message;
import static io.wal4j.adaptor.AdaptorTestUtils.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadOnlyWALAdaptorTest {

    private final FakeBackend backend = new FakeBackend();
    private Opener opener;
    private WAL writer;
    private ReadOnlyWAL reader;

    @BeforeEach
    void open() {
        opener = WALRegistry.builder(backend).build(AdaptorTestUtils.fastRetries());
        writer = opener.open(OpenOption.readWrite("ro", 1));
        reader = opener.openReadOnly(OpenOption.readOnly("ro", 1));
    }

    @AfterEach
    void close() {
        opener.close();
    }

    @Test
    void aReaderSeesWhatTheWriterAppended() {
        writer.append(message("shared"));

        try (Scanner scanner = reader.read(ReadOption.all())) {
            assertThat(text(scanner.take().payload())).isEqualTo("shared");
            assertThat(scanner.name()).isEqualTo("ro/1/0");
            assertThat(reader.metrics().activeScanners()).isEqualTo(1);
        }
        assertThat(reader.metrics().activeScanners()).isZero();
    }

    @Test
    void closeEndsItsScannersAndTheBackendAndMakesItUnavailable() {
        Scanner scanner = reader.read(ReadOption.all());
        CompletableFuture<Void> available = reader.available();

        reader.close();
        reader.close();

        assertThat(available).isCompleted();
        assertThat(reader.isAvailable()).isFalse();
        assertThat(scanner.done()).isCompleted();
        assertThatThrownBy(() -> scanner.poll(Duration.ZERO)).isInstanceOf(WALClosedException.class);
        assertThatThrownBy(() -> reader.read(ReadOption.all())).isInstanceOf(WALClosedException.class)
                .cause().hasMessageContaining("closed by thread");
        assertThat(backend.events).containsOnlyOnce("close ro:ro@1");
        assertThat(writer.isAvailable()).isTrue();
    }
}
