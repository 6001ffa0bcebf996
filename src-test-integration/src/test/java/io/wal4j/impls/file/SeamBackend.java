package io.wal4j.impls.file;

import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;
import java.io.IOException;
import java.util.Random;

/**
 * The file backend over a {@link PowerLossStorage}, for tests outside this package that wrap it into a full WAL with
 * {@code WALRegistry.builder(OpenerBuilderImpls)}: the storage seam is package-private, so this public test class is
 * the way in. {@link #powerLoss} cuts the power under every opener built so far; openers built after it run on a
 * fresh storage, like a rebooted machine. Thread-safe.
 */
public final class SeamBackend implements OpenerBuilderImpls {

    private final FileOpenerBuilder real = new FileOpenerBuilder();
    private volatile PowerLossStorage storage;

    /** Creates the backend on a fresh storage. */
    public SeamBackend() {
        this(new PowerLossStorage());
    }

    SeamBackend(PowerLossStorage storage) {
        this.storage = storage;
    }

    /**
     * Cuts the power: every byte not forced is dropped; every WAL opened so far fails from now on. Later openers get
     * a fresh storage.
     *
     * @return the unforced bytes dropped
     */
    public long powerLoss() throws IOException {
        PowerLossStorage crashed = storage;
        storage = new PowerLossStorage();
        return crashed.powerLoss(PowerLossStorage.Loss.DROP_UNFORCED, new Random(0));
    }

    @Override
    public String name() {
        return real.name();
    }

    /** Like {@link FileOpenerBuilder#build} but over the current storage; creates no directory itself. */
    @Override
    public OpenerImpls build(WALConfig config) {
        return new FileOpener(FileConfig.from(config), storage, System::currentTimeMillis);
    }

    @Override
    public MessageIdCodec messageIdCodec() {
        return real.messageIdCodec();
    }

    @Override
    public Capabilities capabilities() {
        return real.capabilities();
    }
}
