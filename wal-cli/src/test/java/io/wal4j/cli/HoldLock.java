package io.wal4j.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child process for tests: takes the exclusive lock of a file channel as a writer in another process would, prints
 * {@code locked}, and holds it until its standard input closes.
 */
final class HoldLock {

    private HoldLock() {
    }

    public static void main(String[] args) throws IOException {
        Path channelDir = Path.of(args[0]);
        Files.createDirectories(channelDir);
        try (FileChannel channel = FileChannel.open(channelDir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold the lock until the parent closes our input (or dies).
            }
        }
    }

    /** Starts the child and returns once it holds the lock. */
    static Process start(Path channelDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldLock.class.getName(), channelDir.toString()).redirectErrorStream(true).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream())).readLine();
        if (!"locked".equals(line)) {
            process.destroyForcibly();
            throw new IOException("lock holder did not start: " + line);
        }
        return process;
    }
}
