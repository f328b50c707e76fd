package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save that fails leaves the previous file byte for byte as it was, and no temporary file; a
 * save also removes what an interrupted save of the same target left behind, and nothing else.
 */
class ModelFileAtomicSaveTest {

    @TempDir
    Path dir;

    private Path file;
    private byte[] previous;

    @BeforeEach
    void saveAPreviousVersion() throws IOException {
        file = dir.resolve("model.chainrule");
        ModelFile.save(TinyFloatModel.with(1, 2, 3, 4, 5, 6, 7, 8), file, Map.of("note", new byte[] {1}));
        previous = Files.readAllBytes(file);
    }

    private void assertPreviousFileIntactAndAlone() throws IOException {
        assertArrayEquals(previous, Files.readAllBytes(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void nanParameterIsRefusedBeforeAnythingIsWritten() throws IOException {
        TinyFloatModel diverged = TinyFloatModel.with(1, 2, 3, Float.NaN, 5, 6, 7, 8);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.save(diverged, file));
        assertEquals(
                "cannot save dev.chainrule.io.Tiny: parameter[3] is NaN; a model file holds only finite"
                        + " parameters (did training diverge?)",
                e.getMessage());
        assertPreviousFileIntactAndAlone();
    }

    @Test
    void infiniteDoubleParameterIsRefusedToo() throws IOException {
        TinyDoubleModel diverged = TinyDoubleModel.with(1, 2, 3, 4, 5, 6, 7, Double.POSITIVE_INFINITY);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.save(diverged, file));
        assertTrue(e.getMessage().contains("parameter[7] is Infinity"), e.getMessage());
        assertPreviousFileIntactAndAlone();
    }

    @Test
    void writeFailingHalfWayLeavesThePreviousFile() throws IOException {
        IOException diskFull = new IOException("no space left on device");
        IOException e = assertThrows(
                IOException.class,
                () -> ModelFile.save(
                        TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1),
                        file,
                        Map.of(),
                        out -> failingAfter(out, 40, diskFull)));
        assertSame(diskFull, e);
        assertPreviousFileIntactAndAlone();
    }

    @Test
    void writeFailingAtTheVeryEndLeavesThePreviousFile() throws IOException {
        // The checksum is the last thing written: fail on its last byte.
        int fileLength = previous.length - (2 + 4 + 4 + 1); // no "note" attachment this time
        IOException late = new IOException("device went away");
        assertThrows(
                IOException.class,
                () -> ModelFile.save(
                        TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1),
                        file,
                        Map.of(),
                        out -> failingAfter(out, fileLength - 1, late)));
        assertPreviousFileIntactAndAlone();
    }

    @Test
    void failedFirstSaveLeavesNoFileAtAll() throws IOException {
        Path fresh = dir.resolve("fresh.chainrule");
        assertThrows(
                IOException.class,
                () -> ModelFile.save(
                        TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1),
                        fresh,
                        Map.of(),
                        out -> failingAfter(out, 0, new IOException("x"))));
        assertFalse(Files.exists(fresh));
        assertPreviousFileIntactAndAlone();
    }

    @Test
    void successfulSaveLeavesOnlyTheNewFile() throws IOException {
        ModelFile.save(TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file);
        TinyFloatModel loaded = new TinyFloatModel();
        ModelFile.load(file, loaded);
        assertArrayEquals(new float[] {8, 7, 6, 5, 4, 3, 2, 1}, loaded.parameters());
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void missingDirectoryIsAPlainIoErrorAndWritesNothing() {
        IOException e = assertThrows(
                IOException.class,
                () -> ModelFile.save(
                        TinyFloatModel.with(1, 2, 3, 4, 5, 6, 7, 8), dir.resolve("no/such/dir/m.chainrule")));
        assertFalse(e instanceof ModelFileException, e.toString());
        assertFalse(Files.exists(dir.resolve("no")));
    }

    /** A file named {@code name} in the directory, last modified {@code age} ago. */
    private Path leftover(String name, Duration age) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, new byte[] {'h', 'a', 'l', 'f'});
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minus(age)));
        return path;
    }

    private Set<String> names() throws IOException {
        try (var listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void theNextSaveRemovesTemporaryFilesAnInterruptedSaveOfTheSameTargetLeft() throws IOException {
        leftover(".model.chainrule.0123456789ab.tmp", Duration.ofHours(2));
        leftover(".model.chainrule.ffffffffffff.tmp", Duration.ofDays(40));
        ModelFile.save(TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file);
        assertEquals(Set.of("model.chainrule"), names());
    }

    @Test
    void aFailedSaveRemovesThemToo() throws IOException {
        // a disk filled by the remains of crashed saves gets its space back
        leftover(".model.chainrule.0123456789ab.tmp", Duration.ofHours(2));
        assertThrows(
                IOException.class,
                () -> ModelFile.save(
                        TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1),
                        file,
                        Map.of(),
                        out -> failingAfter(out, 10, new IOException("x"))));
        assertPreviousFileIntactAndAlone();
    }

    @Test
    void recentTemporaryFilesAndFilesOfOtherNamesAreKept() throws IOException {
        Duration old = Duration.ofHours(2);
        List<String> kept = new ArrayList<>(List.of(
                ".model.chainrule.aaaaaaaaaaaa.tmp", // another save may be writing it right now
                ".other.chainrule.0123456789ab.tmp", // another target's
                ".model.chainrule.0123456789a.tmp", // not the pattern: 11 digits
                ".model.chainrule.0123456789abc.tmp",
                ".model.chainrule.0123456789AB.tmp", // not the pattern: upper case
                ".model.chainrule.0123456789ag.tmp",
                ".model.chainrule.0123456789ab.tmp.keep",
                ".model.chainrule.0123456789ab.tm",
                "model.chainrule.0123456789ab.tmp",
                "..model.chainrule.0123456789ab.tmp",
                ".model.chainrul.0123456789ab.tmp"));
        leftover(kept.get(0), Duration.ofSeconds(5));
        for (String name : kept.subList(1, kept.size())) {
            leftover(name, old);
        }
        Path directory = Files.createDirectory(dir.resolve(".model.chainrule.abcdefabcdef.tmp"));
        Files.setLastModifiedTime(directory, FileTime.from(Instant.now().minus(old)));
        kept.add(directory.getFileName().toString());
        ModelFile.save(TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file);
        kept.add("model.chainrule");
        assertEquals(Set.copyOf(kept), names());
    }

    @Test
    void anOldTemporaryFileThatIsStillLockedIsKept() throws IOException {
        Path busy = leftover(".model.chainrule.0123456789ab.tmp", Duration.ofHours(2));
        try (FileChannel writer = FileChannel.open(busy, StandardOpenOption.WRITE);
                FileLock lock = writer.lock()) {
            ModelFile.save(TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file);
            assertTrue(Files.exists(busy), "a save that holds the lock is still running");
        }
        ModelFile.save(TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file);
        assertEquals(Set.of("model.chainrule"), names());
    }

    @Test
    void aSaveLocksItsTemporaryFileWhileWritingIt() throws IOException {
        List<String> seen = new ArrayList<>();
        ModelFile.save(TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file, Map.of(), out -> new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (seen.isEmpty()) {
                    try (var listing = Files.list(dir)) {
                        for (Path p : listing.filter(
                                        p -> p.getFileName().toString().endsWith(".tmp"))
                                .toList()) {
                            try (FileChannel other = FileChannel.open(p, StandardOpenOption.WRITE)) {
                                other.tryLock();
                                seen.add("unlocked " + p.getFileName());
                            } catch (OverlappingFileLockException e) {
                                seen.add("locked");
                            }
                        }
                    }
                }
                out.write(b, off, len);
            }
        });
        assertEquals(List.of("locked"), seen);
        assertEquals(Set.of("model.chainrule"), names());
    }

    /** A stream that passes {@code limit} bytes through, then throws {@code failure} on every write. */
    private static OutputStream failingAfter(OutputStream out, int limit, IOException failure) {
        return new FilterOutputStream(out) {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (written == limit) {
                    throw failure;
                }
                written++;
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        };
    }
}
