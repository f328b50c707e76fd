package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reads the real Fashion-MNIST files, gzip'd as the Debian package {@code dataset-fashion-mnist}
 * ships them. When they are missing the test installs the package (as root, or through {@code
 * sudo -n}), so a fresh machine needs no step beyond the build; if that is impossible it fails
 * with the command to run.
 */
class FashionMnistIdxTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static synchronized Path file(String name) {
        if (!Files.isDirectory(DIR)) {
            String log = install();
            if (!Files.isDirectory(DIR)) {
                fail(DIR + " is missing and could not be installed; run `apt-get install -y dataset-fashion-mnist`\n"
                        + log);
            }
        }
        return DIR.resolve(name);
    }

    /** Tries {@code apt-get install}, then {@code apt-get update} and the install again; returns what they printed. */
    private static String install() {
        StringBuilder log = new StringBuilder();
        List<String> prefix = "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo", "-n");
        for (List<String> command : List.of(
                List.of("apt-get", "install", "-y", "-q", "dataset-fashion-mnist"),
                List.of("apt-get", "update", "-q"),
                List.of("apt-get", "install", "-y", "-q", "dataset-fashion-mnist"))) {
            if (Files.isDirectory(DIR)) {
                break;
            }
            List<String> full = new ArrayList<>(prefix);
            full.addAll(command);
            try {
                Process process =
                        new ProcessBuilder(full).redirectErrorStream(true).start();
                log.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                process.waitFor(10, TimeUnit.MINUTES);
            } catch (IOException | InterruptedException e) {
                log.append(full).append(": ").append(e).append('\n');
            }
        }
        return log.toString();
    }

    @Test
    void trainingSetHas60000ImagesOf28By28() throws IOException {
        check(Idx.read(file("train-images-idx3-ubyte.gz")), 60_000);
        checkLabels(Idx.load(file("train-images-idx3-ubyte.gz"), file("train-labels-idx1-ubyte.gz"), 10), 60_000);
    }

    @Test
    void testSetHas10000ImagesOf28By28() throws IOException {
        check(Idx.read(file("t10k-images-idx3-ubyte.gz")), 10_000);
        checkLabels(Idx.load(file("t10k-images-idx3-ubyte.gz"), file("t10k-labels-idx1-ubyte.gz"), 10), 10_000);
    }

    private static void check(Idx.IdxData images, int count) {
        assertEquals(3, images.rank());
        assertEquals(count, images.dimension(0));
        assertEquals(28, images.dimension(1));
        assertEquals(28, images.dimension(2));
    }

    private static void checkLabels(Dataset data, int count) {
        assertEquals(count, data.rows());
        assertEquals(28 * 28, data.featureCount());
        assertEquals(10, data.targetCount());
        int[] perClass = new int[10];
        for (int label : data.labels()) {
            perClass[label]++; // a label outside 0-9 would fail here too
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(perClass[c] > 0, "class " + c + " never occurs");
            assertEquals(count / 10, perClass[c], "Fashion-MNIST is balanced: images of class " + c);
        }
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float pixel : data.features()) {
            min = Math.min(min, pixel);
            max = Math.max(max, pixel);
        }
        assertEquals(0f, min, "pixels are scaled to [0, 1]");
        assertEquals(1f, max, "pixels are scaled to [0, 1]");
    }
}
