package io.wal4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Reads the project version that Maven writes into {@code io/wal4j/cli/version.properties} at build time, so the
 * version printed is the one of the jar that runs. Stateless.
 */
final class VersionProvider implements IVersionProvider {

    private static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        String java = "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")";
        return new String[] {"wal4j " + version(), java};
    }

    /**
     * @return the project version
     * @throws IllegalStateException if the resource is missing (a build that skipped resource processing)
     */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("io/wal4j/cli/" + RESOURCE + " is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/wal4j/cli/" + RESOURCE, e);
        }
    }
}
