package io.wal4j.spi.registry;

import io.wal4j.api.Durability;
import io.wal4j.api.WALConfig;
import io.wal4j.api.message.MessageIdCodec;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import io.wal4j.spi.OpenerImpls;
import io.wal4j.spi.TestMessageId;
import java.util.Set;

/**
 * Builders used by the registry tests. The public nested classes have public no-argument constructors so a
 * {@link java.util.ServiceLoader} can create them by their binary names ({@code TestBackends$Alpha}).
 */
public final class TestBackends {

    private TestBackends() {
    }

    /** A builder with a given name and a matching codec; building is outside these tests. */
    public static class Named implements OpenerBuilderImpls {
        private final String name;
        private final MessageIdCodec codec;

        public Named(String name) {
            this(name, new TestMessageId.Codec(name));
        }

        public Named(String name, MessageIdCodec codec) {
            this.name = name;
            this.codec = codec;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public OpenerImpls build(WALConfig config) {
            throw new UnsupportedOperationException("the registry tests never build " + name);
        }

        @Override
        public MessageIdCodec messageIdCodec() {
            return codec;
        }

        @Override
        public Capabilities capabilities() {
            return new Capabilities(Set.of(Durability.MEMORY), Durability.MEMORY, false, false, false, false, 1024);
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[" + name + "]";
        }
    }

    /** Name "alpha". */
    public static final class Alpha extends Named {
        public Alpha() {
            super("alpha");
        }
    }

    /** Another class that also claims "alpha". */
    public static final class AlphaTwin extends Named {
        public AlphaTwin() {
            super("alpha");
        }
    }

    /** Name "beta". */
    public static final class Beta extends Named {
        public Beta() {
            super("beta");
        }
    }

    /** A provider whose constructor throws. */
    public static final class Broken extends Named {
        public Broken() {
            super("broken");
            throw new IllegalStateException("boom: Broken cannot start");
        }
    }

    /** A provider with an invalid name. */
    public static final class BadName extends Named {
        public BadName() {
            super("Bad_Name");
        }
    }

    /** No public no-argument constructor: the ServiceLoader cannot create it. */
    public static final class NoDefaultConstructor extends Named {
        public NoDefaultConstructor(String name) {
            super(name);
        }
    }

    /** Listed as a provider but not an {@link OpenerBuilderImpls}. */
    public static final class NotABuilder {
        public NotABuilder() {
        }
    }

    /** Found by the global registry through this module's test {@code META-INF/services} file. */
    public static final class Discovered extends Named {
        public Discovered() {
            super("spi-test-discovered");
        }
    }
}
