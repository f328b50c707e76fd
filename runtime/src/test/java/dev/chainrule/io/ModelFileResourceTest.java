package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A model shipped inside a jar: the committed resource written by {@link GoldenModelFile}. */
class ModelFileResourceTest {

    private static final float[] EXPECTED = {-0.5f, -0.375f, -0.25f, -0.125f, 0f, 0.125f, 0.25f, 0.375f};

    @Test
    void loadsAModelFromTheClassPath() throws Exception {
        TinyFloatModel model = new TinyFloatModel();
        LoadedModelFile loaded = ModelFile.loadResource(ModelFileResourceTest.class, GoldenModelFile.RESOURCE, model);

        assertArrayEquals(EXPECTED, model.parameters());
        assertEquals(
                "Chainrule test resource", new String(loaded.attachment("note").orElseThrow(), StandardCharsets.UTF_8));
        assertEquals("dev.chainrule.io.Tiny", loaded.info().interfaceName());
    }

    @Test
    void absoluteResourceNamesWorkToo() throws Exception {
        TinyFloatModel model = new TinyFloatModel();
        ModelFile.loadResource(dev.chainrule.Model.class, "/dev/chainrule/io/" + GoldenModelFile.RESOURCE, model);
        assertArrayEquals(EXPECTED, model.parameters());
    }

    @Test
    void theCommittedFileIsWhatTheWriterWritesToday() throws Exception {
        // The resource was written once; if the writer's layout drifts, this fails.
        byte[] committed;
        try (InputStream in = ModelFileResourceTest.class.getResourceAsStream(GoldenModelFile.RESOURCE)) {
            committed = in.readAllBytes();
        }
        ByteArrayOutputStream today = new ByteArrayOutputStream();
        ModelFile.write(GoldenModelFile.model(), GoldenModelFile.attachments(), today);
        assertArrayEquals(committed, today.toByteArray());
    }
}
