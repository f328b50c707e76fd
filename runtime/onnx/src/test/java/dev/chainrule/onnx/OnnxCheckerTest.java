package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's own checker, with shape inference ({@code full_check}), accepts every exported file. It
 * runs in Debian's {@code python3-onnx} (ONNX 1.12, the oldest release the files claim to suit),
 * which the test installs when it is missing: checking the files this build writes, rather than
 * files checked once and committed, catches a change to the exporter the day it is made.
 */
class OnnxCheckerTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String CHECK = String.join(
            "\n",
            "import sys, onnx",
            "for path in sys.argv[1:]:",
            "    try:",
            "        onnx.checker.check_model(onnx.load(path), full_check=True)",
            "        print('valid', path)",
            "    except Exception as e:",
            "        print('invalid', path, type(e).__name__, str(e).replace('\\n', ' '))");

    @TempDir
    Path dir;

    @Test
    void onnxCheckerAcceptsEveryExportedNetwork() throws Exception {
        DebianPackages.require("python3-onnx", Path.of("/usr/lib/python3/dist-packages/onnx/checker.py"));
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", CHECK));
        List<ModelCases.Case> cases = new ArrayList<>(ModelCases.all());
        cases.addAll(ModelCases.recurrent());
        for (ModelCases.Case c : cases) {
            Path file = dir.resolve(c.name() + ".onnx");
            OnnxExport.write(c.create().apply(3L), file);
            command.add(file.toString());
        }
        // A control: a Gemm reading weights that are nowhere must be refused, or the checker checks nothing.
        Path broken = dir.resolve("Broken.onnx");
        ModelProto mlp = ModelProto.parseFrom(OnnxExport.toBytes(new Networks_MlpModel(3L)));
        ModelProto.Builder b = mlp.toBuilder();
        b.getGraphBuilder().getNodeBuilder(0).setInput(1, "missing.weights");
        Files.write(broken, b.build().toByteArray());
        command.add(broken.toString());

        DebianPackages.Result result = DebianPackages.run(command);
        assertEquals(0, result.status(), result.output());
        String[] lines = result.output().strip().split("\n");
        assertEquals(cases.size() + 1, lines.length, result.output());
        for (int i = 0; i < cases.size(); i++) {
            assertTrue(lines[i].startsWith("valid "), lines[i]);
        }
        assertTrue(lines[lines.length - 1].startsWith("invalid "), lines[lines.length - 1]);
        assertNotEquals(-1, lines[lines.length - 1].indexOf("Broken.onnx"));
    }
}
