package dev.lucid.nn.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.lucid.SharedData;
import dev.lucid.text.ClipTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java CLIP against the reference PyTorch outputs of shared/fixtures/clip_tiny (1e-4 relative). */
class ClipModelTest {

    static Map<String, NDArray> io(NDManager m, String model) throws IOException {
        try (InputStream in = Files.newInputStream(SharedData.path("fixtures/clip_tiny/" + model + "/io.safetensors"))) {
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray a : NDList.decode(m, in)) byName.put(a.getName(), a);
            return byName;
        }
    }

    static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        double scale = 0, diff = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            diff = Math.max(diff, Math.abs(e[i] - a[i]));
        }
        assertTrue(diff <= 1e-4 * scale, what + ": max difference " + diff + " vs max magnitude " + scale);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rn_tiny", "vit_tiny"})
    void matchesTheReferenceEmbeddingsAndLogits(String name) throws IOException {
        Path weights = SharedData.path("fixtures/clip_tiny/" + name + "/weights.safetensors");
        try (ClipModel clip = ClipModel.load(weights); NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> io = io(m, name);
            NDArray image = io.get("image"), tokens = io.get("text_tokens");
            ClipTokenizer tokenizer = ClipTokenizer.standard();
            String[] captions = {"a photo of a dog", "a noisy low-light picture of a city street at night", ""};
            for (int i = 0; i < captions.length; i++) {
                assertArrayEquals(tokens.get(i).toLongArray(), tokenizer.tokenize(captions[i]), "tokens of caption " + i);
            }
            NDArray imageEmbeds = clip.encodeImage(image), textEmbeds = clip.encodeText(tokens);
            assertClose(io.get("image_embeds"), imageEmbeds, name + " image embeddings");
            assertClose(io.get("text_embeds"), textEmbeds, name + " text embeddings");
            assertClose(io.get("logits_per_image"), clip.logitsPerImage(imageEmbeds, textEmbeds), name + " logits");
            if (!clip.config().isVit()) {
                ModifiedResNet.Features f = clip.resnetFeatures(image);
                assertClose(io.get("feat_stem"), f.stem(), "stem");
                assertClose(io.get("feat_layer1"), f.layer1(), "layer1");
                assertClose(io.get("feat_layer2"), f.layer2(), "layer2");
                assertClose(io.get("feat_layer3"), f.layer3(), "layer3");
                assertClose(io.get("feat_layer4"), f.layer4(), "layer4");
            }
        }
    }

    @Test
    void architectureIsInferredFromShapesAndConfigOverridesHeads() throws IOException {
        try (ClipModel rn = ClipModel.load(SharedData.path("fixtures/clip_tiny/rn_tiny/weights.safetensors"))) {
            ClipConfig c = rn.config();
            assertArrayEquals(new int[] {1, 1, 1, 1}, c.visionLayers());
            assertEquals(64, c.imageResolution());
            assertEquals(8, c.visionWidth());
            assertEquals(4, c.visionHeads());
            assertEquals(2, c.transformerHeads(), "from config.json: width 16 would infer 0 heads");
        }
    }

    @Test
    void aDirectoryLoadsItsWeightsFileOrSaysWhyNot(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        try (ClipModel rn = ClipModel.load(SharedData.path("fixtures/clip_tiny/rn_tiny"))) {
            assertEquals(8, rn.config().visionWidth(), "weights.safetensors picked from beside io.safetensors");
        }
        IOException empty = assertThrows(IOException.class, () -> ClipModel.load(dir));
        assertTrue(empty.getMessage().contains("holds no weights file"), empty.getMessage());
        Files.createFile(dir.resolve("a.pt"));
        Files.createFile(dir.resolve("b.safetensors"));
        IOException several = assertThrows(IOException.class, () -> ClipModel.load(dir));
        assertTrue(several.getMessage().contains("[a.pt, b.safetensors]"), several.getMessage());
    }

    @Test
    void wrongWeightsFailNamingTheProblem(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path notClip = dir.resolve("w.safetensors");
        try (NDManager m = NDManager.newBaseManager(); var out = Files.newOutputStream(notClip)) {
            NDArray a = m.zeros(new ai.djl.ndarray.types.Shape(2));
            a.setName("something.weight");
            new NDList(a).encode(out, NDList.Encoding.SAFETENSORS);
        }
        IOException e = assertThrows(IOException.class, () -> ClipModel.load(notClip));
        assertTrue(e.getMessage().contains("not a CLIP state_dict"), e.getMessage());
    }
}
