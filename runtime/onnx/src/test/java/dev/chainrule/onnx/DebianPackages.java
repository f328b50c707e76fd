package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs a Debian package a test needs when the file it ships is missing (as root, or through
 * {@code sudo -n}), so a fresh machine needs no step beyond the build; fails with the command to
 * run if that is impossible.
 */
final class DebianPackages {
    private DebianPackages() {}

    /** Makes sure {@code marker}, a file of package {@code name}, exists. */
    static synchronized void require(String name, Path marker) {
        if (Files.exists(marker)) {
            return;
        }
        StringBuilder log = new StringBuilder();
        List<String> prefix = "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo", "-n");
        for (List<String> command : List.of(
                List.of("apt-get", "install", "-y", "-q", name),
                List.of("apt-get", "update", "-q"),
                List.of("apt-get", "install", "-y", "-q", name))) {
            if (Files.exists(marker)) {
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
        if (!Files.exists(marker)) {
            fail(marker + " is missing and could not be installed; run `apt-get install -y " + name + "`\n" + log);
        }
    }

    /** Runs {@code command}, returning its exit status and what it printed (standard output and error together). */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(command + " did not finish in 5 minutes:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }

    /** A finished command's exit status and output. */
    record Result(int status, String output) {}
}
