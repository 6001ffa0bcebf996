package io.wal4j.bench;

import io.wal4j.adaptor.WALRegistry;
import io.wal4j.api.Durability;
import io.wal4j.api.OpenOption;
import io.wal4j.api.Opener;
import io.wal4j.api.WALConfig;
import io.wal4j.impls.memory.MemoryOpenerBuilder;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.registry.WALImplsRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the backends the way a user does: the file backend by its registry name {@code "file"}, raw (SPI) or through
 * the full adaptor ({@link WALRegistry}); the memory backend from a fresh {@link MemoryOpenerBuilder} each time so no
 * benchmark sees another's messages (its stores belong to the builder instance). Stateless.
 */
final class Backends {

    /** The channel every benchmark writes. */
    static final String CHANNEL = "bench";

    private Backends() {
    }

    /** @return the configuration of a file backend rooted at {@code dir}, everything else at its default */
    static WALConfig fileConfig(Path dir) {
        return WALConfig.of(Map.of("wal.file.dir", dir.toString()));
    }

    /** @return a raw file-backend opener (the SPI, no adaptor) */
    static OpenerImpls fileSpi(Path dir) {
        return WALImplsRegistry.mustGet("file").build(fileConfig(dir));
    }

    /** @return a file-backend opener through the full adaptor */
    static Opener fileAdaptor(Path dir) {
        return WALRegistry.builder("file").build(fileConfig(dir));
    }

    /** @return a file-backend opener through the full adaptor, every append asking for {@code durability} */
    static Opener fileAdaptor(Path dir, Durability durability) {
        return WALRegistry.builder("file").build(WALConfig.of(Map.of("wal.file.dir", dir.toString(),
                "wal.adaptor.durability", durability.name())));
    }

    /** @return a raw memory-backend opener on a store nobody else uses */
    static OpenerImpls memorySpi() {
        return new MemoryOpenerBuilder().build(WALConfig.empty());
    }

    /** @return a memory-backend opener through the full adaptor, on a store nobody else uses */
    static Opener memoryAdaptor() {
        return WALRegistry.builder(new MemoryOpenerBuilder()).build(WALConfig.empty());
    }

    /** @return the read-write open option of {@link #CHANNEL} at term 1 */
    static OpenOption channel() {
        return OpenOption.readWrite(CHANNEL, 1);
    }
}
