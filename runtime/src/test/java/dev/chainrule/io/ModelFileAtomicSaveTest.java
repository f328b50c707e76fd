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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save that fails leaves the previous file byte for byte as it was, and no temporary file. */
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
        assertEquals("cannot save dev.chainrule.io.Tiny: parameter[3] is NaN; a model file holds only finite"
                + " parameters (did training diverge?)", e.getMessage());
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
        IOException e = assertThrows(IOException.class, () -> ModelFile.save(
                TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file, Map.of(), out -> failingAfter(out, 40, diskFull)));
        assertSame(diskFull, e);
        assertPreviousFileIntactAndAlone();
    }

    @Test
    void writeFailingAtTheVeryEndLeavesThePreviousFile() throws IOException {
        // The checksum is the last thing written: fail on its last byte.
        int fileLength = previous.length - (2 + 4 + 4 + 1);  // no "note" attachment this time
        IOException late = new IOException("device went away");
        assertThrows(IOException.class, () -> ModelFile.save(
                TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file, Map.of(), out -> failingAfter(out, fileLength - 1, late)));
        assertPreviousFileIntactAndAlone();
    }

    @Test
    void failedFirstSaveLeavesNoFileAtAll() throws IOException {
        Path fresh = dir.resolve("fresh.chainrule");
        assertThrows(IOException.class, () -> ModelFile.save(
                TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), fresh, Map.of(), out -> failingAfter(out, 0, new IOException("x"))));
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
        IOException e = assertThrows(IOException.class,
                () -> ModelFile.save(TinyFloatModel.with(1, 2, 3, 4, 5, 6, 7, 8), dir.resolve("no/such/dir/m.chainrule")));
        assertFalse(e instanceof ModelFileException, e.toString());
        assertFalse(Files.exists(dir.resolve("no")));
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
