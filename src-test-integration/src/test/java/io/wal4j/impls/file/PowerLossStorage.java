package io.wal4j.impls.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * A {@link Storage} over the real file system that remembers, per file, how many bytes were last forced, and can
 * simulate a power loss that keeps only those — or tears the unforced tail at a random byte, or zero-fills it — and
 * can fail writes (a full disk) or forces. A power loss is atomic with respect to every other operation (a
 * read-write lock), so an operation that returned before it counts and every later one fails. Thread-safe.
 *
 * <p><b>Directory entries.</b> A file created, renamed or deleted through this storage is only durable once its
 * directory was forced ({@link #forceDirectory}; a rename between two directories needs both). Until then the
 * operation is journaled, and a power loss forgets what its {@link DirectoryLoss} says — by default every such
 * operation, undone newest first: a created file vanishes with its bytes, a deleted file comes back with the bytes
 * it had forced, a renamed file returns to its old name and a file it replaced comes back.
 * <p><b>Directories.</b> Built with a top directory, the storage also models the entries of directories below it:
 * the directories present at construction are durable; a directory created later (through the seam or not) becomes
 * durable only when its parent is forced while it exists. A power loss deletes every directory below the top that
 * is not durable, with everything in it.
 */
final class PowerLossStorage implements Storage {

    /** What a power loss does to the bytes written but not forced. */
    enum Loss {
        /** Every unforced byte is gone. */
        DROP_UNFORCED,
        /** A random prefix of the unforced bytes survives: the last write is torn at a random byte. */
        TEAR_AT_RANDOM_BYTE,
        /** A random prefix survives, the rest of the file keeps its length but reads as zeros. */
        ZERO_FILLED_TAIL,
        /** A random prefix survives, the rest reads as random garbage. */
        GARBAGE_TAIL
    }

    /** Which directory operations not yet covered by a directory force a power loss forgets. */
    enum DirectoryLoss {
        /** None: every create, rename and delete that returned survives. */
        KEEP_ENTRIES,
        /** All of them (the strictest outcome, and the default). */
        FORGET_UNSYNCED,
        /** A random suffix of them, in order (a metadata journal that committed a prefix). */
        FORGET_RANDOM_SUFFIX
    }

    private enum Kind { CREATE, DELETE, MOVE }

    /**
     * A create, delete or rename whose directory (or directories) has not been forced since.
     *
     * @param saved the forced bytes of the deleted file (DELETE) or of the file the rename replaced (MOVE, else null)
     */
    private record Pending(Kind kind, Path path, Path from, byte[] saved, Set<Path> unforcedDirs) {
    }

    private final Storage real = Storage.real();
    private final Path top; // null: directories are not modelled
    private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();
    private final AtomicInteger forgottenDirectories = new AtomicInteger();
    private final List<Pending> pending = new ArrayList<>(); // guarded by itself
    private final AtomicInteger forgottenEntries = new AtomicInteger();
    private final Map<Path, Long> durable = new ConcurrentHashMap<>();
    private final ReadWriteLock crashLock = new ReentrantReadWriteLock();
    private final AtomicInteger forces = new AtomicInteger();
    private volatile boolean crashed;
    private volatile IOException writeFailure;
    private volatile IOException forceFailure;
    private final AtomicInteger operations = new AtomicInteger();
    private volatile int failFrom = Integer.MAX_VALUE;

    /** A storage that models file contents and the entries of files, not of directories. */
    PowerLossStorage() {
        this.top = null;
    }

    /**
     * A storage that also models the entries of directories below {@code top} (which must exist): those present now
     * are durable, later ones once their parent is forced.
     */
    PowerLossStorage(Path top) throws IOException {
        this.top = top.toAbsolutePath();
        try (Stream<Path> walk = Files.walk(this.top)) {
            walk.filter(Files::isDirectory).forEach(durableDirs::add);
        }
    }

    /** @return how many directories power losses deleted because their entry was never forced */
    int forgottenDirectories() {
        return forgottenDirectories.get();
    }

    /** @return the bytes of {@code path} last forced (its size when first opened if never forced), or -1 */
    long durableSize(Path path) {
        return durable.getOrDefault(path, -1L);
    }

    /** @return how many storage operations were attempted so far */
    int operations() {
        return operations.get();
    }

    /**
     * Makes the device die at operation number {@code n} (1-based): that operation and every later one fail, as if
     * the power went just before it. Call {@link #powerLoss} afterwards to drop what was not forced.
     */
    void dieAtOperation(int n) {
        failFrom = n;
    }

    int forces() {
        return forces.get();
    }

    /** @return how many creates, renames and deletes power losses undone so far */
    int forgottenEntries() {
        return forgottenEntries.get();
    }

    /** Every later write fails with {@code e} (ENOSPC). */
    void failWrites(IOException e) {
        writeFailure = e;
    }

    /** Every later force fails with {@code e} (EIO on fsync). */
    void failForces(IOException e) {
        forceFailure = e;
    }

    /**
     * Cuts the power: files written through this storage lose what {@code loss} says; every later operation fails.
     *
     * @return the unforced bytes that were present, over every file
     */
    long powerLoss(Loss loss, Random random) throws IOException {
        return powerLoss(loss, DirectoryLoss.FORGET_UNSYNCED, random);
    }

    /**
     * Cuts the power: first the directory operations {@code directoryLoss} picks among those not covered by a
     * directory force are undone, newest first; then files lose what {@code loss} says; every later operation fails.
     *
     * @return the unforced bytes that were present, over every file
     */
    long powerLoss(Loss loss, DirectoryLoss directoryLoss, Random random) throws IOException {
        crashLock.writeLock().lock();
        try {
            crashed = true;
            forgetDirectoryEntries(directoryLoss, random);
            forgetDirectories();
            long unforced = 0;
            for (Map.Entry<Path, Long> e : new java.util.TreeMap<>(durable).entrySet()) {
                Path path = e.getKey();
                if (!Files.exists(path)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    long size = ch.size();
                    long kept = e.getValue();
                    if (size <= kept) {
                        continue;
                    }
                    unforced += size - kept;
                    long survive = loss == Loss.DROP_UNFORCED ? 0 : (long) (random.nextDouble() * (size - kept + 1));
                    survive = Math.min(survive, size - kept);
                    if (loss == Loss.ZERO_FILLED_TAIL || loss == Loss.GARBAGE_TAIL) {
                        byte[] tail = new byte[Math.toIntExact(size - kept - survive)];
                        if (loss == Loss.GARBAGE_TAIL) {
                            random.nextBytes(tail);
                        }
                        ch.write(ByteBuffer.wrap(tail), kept + survive);
                    } else {
                        ch.truncate(kept + survive);
                    }
                    ch.force(true);
                }
            }
            return unforced;
        } finally {
            crashLock.writeLock().unlock();
        }
    }

    /** Undoes the journaled directory operations {@code directoryLoss} picks, newest first. Under the write lock. */
    private void forgetDirectoryEntries(DirectoryLoss directoryLoss, Random random) throws IOException {
        List<Pending> journal;
        synchronized (pending) {
            journal = new ArrayList<>(pending);
            pending.clear();
        }
        int keep = switch (directoryLoss) {
            case KEEP_ENTRIES -> journal.size();
            case FORGET_UNSYNCED -> 0;
            case FORGET_RANDOM_SUFFIX -> random.nextInt(journal.size() + 1);
        };
        for (int i = journal.size() - 1; i >= keep; i--) {
            undo(journal.get(i));
            forgottenEntries.incrementAndGet();
        }
    }

    /** Deletes every directory below the top whose entry was never forced, with its content. Under the write lock. */
    private void forgetDirectories() throws IOException {
        if (top == null) {
            return;
        }
        List<Path> lost;
        try (Stream<Path> walk = Files.walk(top)) {
            lost = walk.filter(Files::isDirectory).filter(d -> !durableDirs.contains(d)).toList();
        }
        for (Path dir : lost) {
            if (!Files.exists(dir)) {
                continue; // inside a directory deleted already
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    durable.remove(p);
                    Files.delete(p);
                }
            }
            forgottenDirectories.incrementAndGet();
        }
    }

    private void undo(Pending op) throws IOException {
        switch (op.kind()) {
            case CREATE -> {
                Files.deleteIfExists(op.path());
                durable.remove(op.path());
            }
            case DELETE -> restore(op.path(), op.saved());
            case MOVE -> {
                if (Files.exists(op.path())) {
                    Files.move(op.path(), op.from(), StandardCopyOption.REPLACE_EXISTING);
                }
                Long size = durable.remove(op.path());
                if (size != null) {
                    durable.put(op.from(), size);
                }
                if (op.saved() != null) {
                    restore(op.path(), op.saved());
                }
            }
            default -> throw new IllegalStateException(op.kind().toString());
        }
    }

    private void restore(Path path, byte[] bytes) throws IOException {
        Files.write(path, bytes);
        durable.put(path, (long) bytes.length);
    }

    /** @return the bytes of {@code path} a power loss would keep at best: its forced prefix (all, if unknown) */
    private byte[] forcedBytes(Path path) throws IOException {
        byte[] all = Files.readAllBytes(path);
        long forced = durable.getOrDefault(path, (long) all.length);
        return forced >= all.length ? all : Arrays.copyOf(all, (int) forced);
    }

    private void journal(Kind kind, Path path, Path from, byte[] saved) {
        Set<Path> dirs = new HashSet<>();
        dirs.add(path.toAbsolutePath().getParent());
        if (from != null) {
            dirs.add(from.toAbsolutePath().getParent());
        }
        synchronized (pending) {
            pending.add(new Pending(kind, path, from, saved, dirs));
        }
    }

    private void enter() throws IOException {
        crashLock.readLock().lock();
        if (operations.incrementAndGet() >= failFrom) {
            crashed = true;
        }
        if (crashed) {
            crashLock.readLock().unlock();
            throw new IOException("simulated power loss: the device is gone");
        }
    }

    private void exit() {
        crashLock.readLock().unlock();
    }

    @Override
    public StorageFile open(Path path, boolean write) throws IOException {
        enter();
        try {
            boolean existed = Files.exists(path);
            if (write) {
                durable.putIfAbsent(path, existed ? Files.size(path) : 0L);
            }
            LossyFile file = new LossyFile(path, real.open(path, write));
            if (write && !existed) {
                journal(Kind.CREATE, path, null, null);
            }
            return file;
        } finally {
            exit();
        }
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        enter();
        try {
            real.forceDirectory(dir);
            Path forced = dir.toAbsolutePath();
            synchronized (pending) {
                pending.removeIf(op -> {
                    op.unforcedDirs().remove(forced);
                    return op.unforcedDirs().isEmpty();
                });
            }
            if (top != null && forced.startsWith(top)) {
                // The subdirectories present now have durable entries in it (should it be lost itself, they go too).
                try (Stream<Path> list = Files.list(forced)) {
                    list.filter(Files::isDirectory).map(Path::toAbsolutePath).forEach(durableDirs::add);
                }
            }
        } finally {
            exit();
        }
    }

    /** As the seam's default, with each directory creation an operation of its own (a crash point). */
    @Override
    public void createDirectories(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            enter();
            try {
                if (!Files.isDirectory(p)) {
                    Files.createDirectory(p);
                }
            } finally {
                exit();
            }
            forceDirectory(p.getParent());
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        enter();
        try {
            byte[] replaced = Files.exists(to) ? forcedBytes(to) : null;
            real.move(from, to);
            journal(Kind.MOVE, to, from, replaced);
            Long size = durable.remove(from);
            if (size != null) {
                durable.put(to, size);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        enter();
        try {
            byte[] saved = Files.exists(path) ? forcedBytes(path) : null;
            real.delete(path);
            if (saved != null) {
                journal(Kind.DELETE, path, null, saved);
            }
            durable.remove(path);
        } finally {
            exit();
        }
    }

    private final class LossyFile implements StorageFile {
        private final Path path;
        private final StorageFile file;

        LossyFile(Path path, StorageFile file) {
            this.path = path;
            this.file = file;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            enter();
            try {
                IOException failure = writeFailure;
                if (failure != null) {
                    throw failure;
                }
                return file.write(src, position);
            } finally {
                exit();
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            enter();
            try {
                return file.read(dst, position);
            } finally {
                exit();
            }
        }

        @Override
        public void force() throws IOException {
            enter();
            try {
                IOException failure = forceFailure;
                if (failure != null) {
                    throw failure;
                }
                long size = file.size();
                file.force();
                durable.put(path, size);
                forces.incrementAndGet();
            } finally {
                exit();
            }
        }

        @Override
        public long size() throws IOException {
            enter();
            try {
                return file.size();
            } finally {
                exit();
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            enter();
            try {
                file.truncate(size);
                durable.computeIfPresent(path, (p, d) -> Math.min(d, size));
            } finally {
                exit();
            }
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
