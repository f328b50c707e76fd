package dev.chainrule.io;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Saves a model's parameters to a file and loads them back, in the format {@code
 * docs/model-file-format.md} describes: a magic number, the format version, the network's
 * fingerprint and shape, the interface name, the precision, the parameters, named attachments
 * and a CRC32C, all big-endian.
 *
 * <pre>{@code
 * ModelFile.save(model, Path.of("fraud.chainrule"));
 * var served = new FraudScorerModel(0L);
 * ModelFile.load(Path.of("fraud.chainrule"), served);
 * }</pre>
 *
 * <h2>Saving</h2>
 * {@link #save(Model, Path, Map)} checks the model first (every parameter finite) and writes
 * nothing if it is refused. It then writes a temporary file in the target's directory, forces
 * it to the disk, and moves it over the target in one atomic step: a reader sees the old file
 * or the new one, never half of one, and a failed save leaves the old file as it was and no
 * temporary file behind. A save killed half-way cannot clean up after itself: the next save of
 * the same target removes what it left (see {@link #save(Model, Path, Map)} for the rule).
 *
 * <h2>Loading</h2>
 * {@link #load(Path, Model)} reads the whole file and checks every field: magic number,
 * version, that the network and precision match the model, every length against the model
 * and fixed caps before anything is allocated, the checksum, the end of the file, and that
 * every parameter is finite. Only then does it copy the parameters into the model: a failed
 * load leaves the model untouched. Every way a file can be wrong throws {@link
 * ModelFileException}, whose message names the source, the byte offset and the field; failures
 * of the file system stay plain {@link IOException}s.
 *
 * <p>The interface name is informative: a file loads into any model of the same shape and
 * precision, so renaming or moving the interface does not orphan saved models.
 */
public final class ModelFile {
    private ModelFile() {}

    /** Saves {@code model}'s parameters to {@code file} with no attachments; see {@link #save(Model, Path, Map)}. */
    public static void save(Model model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /**
     * Saves {@code model}'s parameters and {@code attachments} to {@code file}, atomically.
     *
     * <p>The bytes go to a temporary file {@code .<name>.<random>.tmp} in the same directory,
     * which is forced to the storage device and then moved over {@code file} with {@link
     * StandardCopyOption#ATOMIC_MOVE}. If the file system cannot move atomically (it throws
     * {@link AtomicMoveNotSupportedException}), the file is moved with {@link
     * StandardCopyOption#REPLACE_EXISTING} instead: the new file is still complete before it
     * replaces the old one, but a crash during that move may leave neither. Last, the directory
     * is forced too where the platform allows it, so the rename itself survives a crash.
     *
     * <p>The temporary file is locked ({@link FileChannel#tryLock()}) while it is written, where
     * the file system supports locks. Before it writes, a save removes the temporary files an
     * interrupted save of the same target left: an entry of the target's directory is removed
     * only if its name is exactly {@code .<name>.<12 lower-case hex digits>.tmp} for this
     * target's {@code <name>}, it is a regular file (not a link or a directory), it was last
     * modified at least {@link #STALE_AFTER} ago, and no one holds a lock on it. A save in
     * progress, in this process or another, holds its lock while it writes and keeps its file's
     * modification time recent, and the age alone protects it on file systems without locks and
     * in the instants between creating, locking and moving its file. The clean-up is best effort:
     * a file it cannot inspect or remove stays, and never fails the save.
     *
     * @param attachments named byte payloads stored with the parameters (e.g. fitted
     *     preprocessing); names of 1 to 255 UTF-8 bytes without control characters, at most 1024
     *     attachments of at most 64 MiB each and 256 MiB in all. They are stored sorted by the
     *     bytes of their names, so the same model and attachments always give the same file.
     * @throws ModelFileException if the model cannot be saved (a parameter is NaN or infinite);
     *     nothing is written then
     * @throws IllegalArgumentException if an attachment breaks the rules above, or the model is
     *     not the {@link FloatModel} or {@link DoubleModel} its precision says
     * @throws IOException if writing fails; {@code file} is then as it was
     */
    public static void save(Model model, Path file, Map<String, byte[]> attachments) throws IOException {
        save(model, file, attachments, UnaryOperator.identity());
    }

    /**
     * {@link #save(Model, Path, Map)}, with the temporary file's stream passed through {@code
     * wrap}: lets tests make the write fail half-way.
     */
    static void save(Model model, Path file, Map<String, byte[]> attachments, UnaryOperator<OutputStream> wrap)
            throws IOException {
        Objects.requireNonNull(file, "file");
        ModelFileWriter writer = ModelFileWriter.of(
                Objects.requireNonNull(model, "model"), Objects.requireNonNull(attachments, "attachments"));
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        removeStaleTemporaries(directory, target.getFileName().toString());
        Path temporary = createTemporary(directory, target.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                lockIfSupported(channel); // released when the channel closes
                writer.writeTo(wrap.apply(Channels.newOutputStream(channel)));
                channel.force(true);
            }
            moveOver(temporary, target);
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException | RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        forceDirectory(directory);
    }

    /**
     * Writes {@code model}'s parameters and {@code attachments} to {@code out} in the model file
     * format, then flushes it; does not close it. Not atomic: for files use {@link #save}.
     *
     * @throws ModelFileException if the model cannot be saved (nothing is written then)
     */
    public static void write(Model model, Map<String, byte[]> attachments, OutputStream out) throws IOException {
        ModelFileWriter.of(Objects.requireNonNull(model, "model"), Objects.requireNonNull(attachments, "attachments"))
                .writeTo(Objects.requireNonNull(out, "out"));
    }

    /**
     * Loads the parameters in {@code file} into {@code target}, a {@link FloatModel} or {@link
     * DoubleModel} of the same network and precision, after checking the whole file.
     *
     * @return the file's header and attachments
     * @throws ModelFileException if the file is not a valid model file for {@code target}; the
     *     model's parameters are then unchanged
     * @throws IOException if the file cannot be read
     */
    public static LoadedModelFile load(Path file, Model target) throws IOException {
        Objects.requireNonNull(target, "target");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return load(new FieldReader(in, file.toString(), Files.size(file)), target);
        }
    }

    /**
     * Loads a model file from {@code in}, which must hold exactly one model file and end after
     * it, into {@code target}; see {@link #load(Path, Model)}. Does not close the stream.
     */
    public static LoadedModelFile load(InputStream in, Model target) throws IOException {
        Objects.requireNonNull(target, "target");
        return load(new FieldReader(new BufferedInputStream(in), "input stream", -1), target);
    }

    /**
     * Loads the model file that is the class path resource {@code name} (resolved like {@link
     * Class#getResource}: relative to {@code anchor}'s package unless it starts with {@code /})
     * into {@code target}: lets a service ship its trained model inside its jar.
     *
     * @throws NoSuchFileException if there is no such resource
     */
    public static LoadedModelFile loadResource(Class<?> anchor, String name, Model target) throws IOException {
        Objects.requireNonNull(target, "target");
        URL url = anchor.getResource(name);
        if (url == null) {
            throw new NoSuchFileException(
                    name, null, "no such class path resource, looked up from " + anchor.getName());
        }
        try (InputStream in = new BufferedInputStream(url.openStream())) {
            return load(new FieldReader(in, url.toString(), -1), target);
        }
    }

    /**
     * Reads and checks {@code file} without loading it into a model: its header and the names
     * and sizes of its attachments, for tools. The whole file is read, so damage anywhere is
     * reported.
     *
     * @throws ModelFileException if the file is not a valid model file
     */
    public static ModelFileInfo inspect(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return ModelFileReader.read(new FieldReader(in, file.toString(), Files.size(file)), null)
                    .info();
        }
    }

    /** {@link #inspect(Path)} for a stream holding exactly one model file; does not close it. */
    public static ModelFileInfo inspect(InputStream in) throws IOException {
        return ModelFileReader.read(new FieldReader(new BufferedInputStream(in), "input stream", -1), null)
                .info();
    }

    private static LoadedModelFile load(FieldReader in, Model target) throws IOException {
        precisionOf(target);
        ModelFileReader.Contents contents = ModelFileReader.read(in, target);
        // Every check has passed: only now does the model change.
        if (contents.floats() != null) {
            ((FloatModel) target).setParameters(contents.floats());
        } else {
            ((DoubleModel) target).setParameters(contents.doubles());
        }
        return new LoadedModelFile(contents.info(), contents.attachments());
    }

    /**
     * The precision of {@code model}, after checking that it implements the interface of that
     * precision.
     */
    static Precision precisionOf(Model model) {
        Precision precision = model.precision();
        boolean matches = precision == Precision.FLOAT ? model instanceof FloatModel : model instanceof DoubleModel;
        if (!matches) {
            throw new IllegalArgumentException(model.getClass().getName() + " says its precision is "
                    + precision.label() + " but does not implement "
                    + (precision == Precision.FLOAT ? "FloatModel" : "DoubleModel"));
        }
        return precision;
    }

    /**
     * How long after its last modification a temporary file of a target counts as left by an
     * interrupted save: far longer than writing and forcing a model file takes (its modification
     * time moves with every write), with room for clocks of network file systems that disagree.
     */
    public static final Duration STALE_AFTER = Duration.ofHours(1);

    /** Random bytes in a temporary file's name, written as twice as many hex digits. */
    private static final int RANDOM_BYTES = 6;

    /** Creates an empty file next to the target, with the default permissions of a new file. */
    private static Path createTemporary(Path directory, String targetName) throws IOException {
        for (int attempt = 0; ; attempt++) {
            byte[] random = new byte[RANDOM_BYTES];
            ThreadLocalRandom.current().nextBytes(random);
            Path temporary =
                    directory.resolve("." + targetName + "." + HexFormat.of().formatHex(random) + ".tmp");
            try {
                Files.newByteChannel(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                        .close();
                return temporary;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    /** Whether {@code name} is one {@link #createTemporary} makes for the target {@code targetName}. */
    static boolean isTemporaryName(String name, String targetName) {
        int digits = 2 * RANDOM_BYTES;
        int from = targetName.length() + 2;
        if (name.length() != from + digits + 4
                || name.charAt(0) != '.'
                || !name.startsWith(targetName, 1)
                || name.charAt(from - 1) != '.'
                || !name.endsWith(".tmp")) {
            return false;
        }
        for (int i = from; i < from + digits; i++) {
            char c = name.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Removes the temporary files of {@code targetName} that interrupted saves left, by the rule of {@link #save(Model, Path, Map)}. */
    private static void removeStaleTemporaries(Path directory, String targetName) {
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(
                directory, entry -> isTemporaryName(entry.getFileName().toString(), targetName))) {
            for (Path entry : entries) {
                removeIfStale(entry, cutoff);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the directory cannot be listed; the save itself reports real trouble
        }
    }

    private static void removeIfStale(Path file, Instant cutoff) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()
                    || attributes.lastModifiedTime().toInstant().isAfter(cutoff)) {
                return;
            }
            boolean locked;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                locked = lockedByAnother(channel);
            }
            if (!locked) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: leave what cannot be inspected or removed
        }
    }

    /** Whether a save, in this process or another, holds the lock of the file open in {@code channel}. */
    private static boolean lockedByAnother(FileChannel channel) {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true; // another process
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this process
        } catch (IOException e) {
            return false; // no locks on this file system: the age alone decides
        }
    }

    /** Locks the temporary file against the clean-up of other saves, where the file system supports locks. */
    private static void lockIfSupported(FileChannel channel) {
        try {
            channel.tryLock();
        } catch (IOException | RuntimeException e) {
            // no locks here: the file's recent modification time protects it
        }
    }

    private static void moveOver(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Forces the directory entry of the renamed file to disk where the platform supports it. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows and some file systems cannot open or force a directory; the file itself is on disk.
        }
    }
}
