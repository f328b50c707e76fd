package dev.chainrule.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model behind the committed test resource {@code tiny-float.chainrule}, and the program
 * that wrote it. The file is committed rather than written during the build so that it pins
 * format version 1: if a change to the writer or the reader alters the layout, {@link
 * ModelFileResourceTest} fails against bytes written before that change.
 *
 * <p>To regenerate (only together with a new format version): run {@code main} with the
 * runtime's test class path from the runtime module directory.
 */
final class GoldenModelFile {
    private GoldenModelFile() {}

    static final String RESOURCE = "tiny-float.chainrule";
    static final String NOTE = "Chainrule test resource";

    /** Parameter {@code i} is {@code i / 8 - 0.5}, exact in binary: -0.5, -0.375, ..., 0.375. */
    static TinyFloatModel model() {
        TinyFloatModel model = new TinyFloatModel();
        for (int i = 0; i < model.parameterCount(); i++) {
            model.parameters()[i] = i / 8f - 0.5f;
        }
        return model;
    }

    static Map<String, byte[]> attachments() {
        return Map.of("note", NOTE.getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws IOException {
        ModelFile.save(model(), Path.of("src/test/resources/dev/chainrule/io", RESOURCE), attachments());
    }
}
