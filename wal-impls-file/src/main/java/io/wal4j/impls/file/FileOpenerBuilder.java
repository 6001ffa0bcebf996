package io.wal4j.impls.file;

import io.wal4j.api.Durability;
import io.wal4j.api.WALConfig;
import io.wal4j.api.WALStorageException;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;
import java.io.IOException;
import java.util.EnumSet;

/**
 * The file backend's entry point, registered as {@value #NAME}. Stateless and thread-safe; the public no-argument
 * constructor does no I/O. See {@link FileConfig} for the keys read by {@link #build}.
 */
public final class FileOpenerBuilder implements OpenerBuilderImpls {

    /** The registry name. */
    public static final String NAME = FileMessageId.WAL_NAME;

    private static final Capabilities CAPABILITIES = new Capabilities(EnumSet.of(Durability.OS, Durability.DISK),
            Durability.DISK, true, true, true, true, SegmentFormat.MAX_MESSAGE_BYTES);
    private static final FileMessageIdCodec CODEC = new FileMessageIdCodec();

    /** For {@link java.util.ServiceLoader}; does nothing. */
    public FileOpenerBuilder() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Validates the configuration and creates the root directory.
     *
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException naming the key when a {@code wal.file.} key is unknown, malformed or missing
     * @throws WALStorageException      if the root directory cannot be created
     */
    @Override
    public OpenerImpls build(WALConfig config) {
        FileConfig fileConfig = FileConfig.from(config);
        try {
            Storage.real().createDirectories(fileConfig.dir()); // durably: a DISK append depends on the entry
        } catch (IOException e) {
            throw new WALStorageException("cannot create the file backend's directory " + fileConfig.dir(), e);
        }
        return new FileOpener(fileConfig, Storage.real(), System::currentTimeMillis);
    }

    @Override
    public MessageIdCodec messageIdCodec() {
        return CODEC;
    }

    /**
     * @return durabilities {OS, DISK}, default DISK (an append passing {@code null} gets {@code wal.file.durability}),
     *     truncation of whole sealed segments, fencing, read-only and cross-process readers, 16 MiB messages
     */
    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }
}
