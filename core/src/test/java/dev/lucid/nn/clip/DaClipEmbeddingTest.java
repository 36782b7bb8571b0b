package dev.lucid.nn.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.SharedData;
import dev.lucid.model.ModelFiles;
import dev.lucid.nn.torch.StateDicts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DA-CLIP's image controller read from a checkpoint laid out as DA-CLIP's, checked against the CLIP fixture's reference outputs. */
public class DaClipEmbeddingTest {

    @TempDir Path dir;

    /**
     * A DA-CLIP checkpoint made of the tiny ViT fixture: the fixture's image tower as the controller (its transformer
     * wrapped, with zero modules, as DaCLIP's ControlTransformer saves it) and, under {@code clip.}, the fixture with its
     * image tower scaled, so that an embedding read from the wrong tower cannot pass; the aliases DaCLIP's state_dict
     * also holds ({@code visual.}, {@code logit_scale}) beside, all inside a training checkpoint's {@code state_dict}
     * with DDP's {@code module.} prefix, as open_clip saves one. Written to {@code dir/daclip.safetensors} with the
     * fixture's config.json (its text heads).
     */
    public static Path writeCheckpoint(Path dir) throws IOException {
        Path fixture = SharedData.path("fixtures/clip_tiny/vit_tiny");
        try (NDManager m = NDManager.newBaseManager()) {
            NDList out = new NDList();
            for (NDArray a : StateDicts.read(fixture.resolve("weights.safetensors"), m)) {
                String k = a.getName();
                boolean visual = k.startsWith("visual.");
                out.add(named(visual ? a.mul(0.5f) : a.duplicate(), "state_dict.module.clip." + k));
                if (visual) {
                    out.add(named(a.mul(0.5f), "state_dict.module." + k));
                    out.add(named(a.duplicate(), "state_dict.module.visual_control." + k.substring("visual.".length()).replace("transformer.", "transformer.transformer.")));
                }
                if (k.equals("logit_scale")) out.add(named(a.duplicate(), "state_dict.module." + k));
            }
            for (int i = 0; i < 2; i++) {
                out.add(named(m.zeros(new Shape(128, 128)), "state_dict.module.visual_control.transformer.zero_modules." + i + ".weight"));
                out.add(named(m.zeros(new Shape(128)), "state_dict.module.visual_control.transformer.zero_modules." + i + ".bias"));
            }
            Path file = dir.resolve("daclip.safetensors");
            ModelFiles.writeSafetensors(file, out);
            Files.copy(fixture.resolve("config.json"), dir.resolve("config.json"));
            return file;
        }
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    @Test
    void theControllersEmbeddingIsClipsImageTowerOnItsWeights() throws IOException {
        Path checkpoint = writeCheckpoint(dir);
        try (ClipModel controller = ClipModel.loadDaClipController(checkpoint); NDManager m = NDManager.newBaseManager()) {
            var io = ClipModelTest.io(m, "vit_tiny");
            ClipModelTest.assertClose(io.get("image_embeds"), controller.encodeImage(io.get("image")), "the controller's image embedding");
            ClipModelTest.assertClose(io.get("text_embeds"), controller.encodeText(io.get("text_tokens")), "CLIP's text tower from clip.");
        }
    }

    @Test
    void embedsCropsAsUnitVectorsOfTheirCentreSquare() throws IOException {
        Path checkpoint = writeCheckpoint(dir);
        try (DaClipEmbedding daclip = DaClipEmbedding.of("daclip:" + checkpoint); NDManager m = NDManager.newBaseManager()) {
            assertEquals(32, daclip.dimension());
            NDArray crops = m.randomUniform(0, 1, new Shape(2, 3, 40, 56));
            NDArray e = daclip.embed(crops);
            assertEquals(new Shape(2, 32), e.getShape());
            assertTrue(e.norm(new int[] {1}).sub(1).abs().max().getFloat() < 1e-5f, "unit vectors");
            // only the centre 40 × 40 is read: the side columns do not matter
            NDArray centre = crops.get(":, :, :, 8:48");
            assertTrue(daclip.embed(centre).sub(e).abs().max().getFloat() < 1e-6f, "the centre square alone");
            assertTrue(e.get(0).sub(e.get(1)).abs().max().getFloat() > 1e-3f, "different crops, different embeddings");
        }
    }

    @Test
    void refusesWhatIsNotADaClipCheckpoint() {
        java.io.UncheckedIOException plain = assertThrows(java.io.UncheckedIOException.class,
                () -> DaClipEmbedding.of("daclip:" + SharedData.path("fixtures/clip_tiny/vit_tiny/weights.safetensors")));
        assertTrue(plain.getCause().getMessage().contains("not a DA-CLIP checkpoint with a ViT image controller: no tensor \"visual_control.proj\""), plain.getCause().getMessage());
        IllegalArgumentException spec = assertThrows(IllegalArgumentException.class, () -> DaClipEmbedding.of("clip:x"));
        assertEquals("degradation_embedding must be own or daclip:PATH, got \"clip:x\"", spec.getMessage());
    }
}
