package dev.lucid.method.clipdenoise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lucid.Progress;
import dev.lucid.SharedData;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.nn.Linear;
import dev.lucid.nn.Parameters;
import dev.lucid.train.TrainConfig;
import dev.lucid.train.Trainer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipDenoiseNetTest {

    @TempDir Path dir;

    static String architecture(boolean frozen) {
        return "{type: clip_denoise, encoder_width: 8, encoder_layers: [1, 1, 1], decoder_width: 8, frozen: " + frozen
                + ", feature_augmentation: 0.05, encoder_weights: '" + SharedData.path("fixtures/clip_tiny/rn_tiny/weights.safetensors") + "'}";
    }

    @Test
    void loadsTheClipTrunkByNameAndAugmentsOnlyInTraining() throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(architecture(true));
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            ClipDenoiseNet net = new ClipDenoiseNet(p, spec);
            try (InputStream in = Files.newInputStream(SharedData.path("fixtures/clip_tiny/rn_tiny/weights.safetensors"))) {
                for (NDArray a : NDList.decode(m, in)) {
                    if (a.getName().equals("visual.layer3.0.conv2.weight")) {
                        assertArrayEquals(a.toFloatArray(), p.asMap().get("visual.layer3.0.conv2.weight").toFloatArray(), 0f);
                    }
                }
            }
            assertTrue(p.asMap().keySet().stream().noneMatch(k -> k.startsWith("visual.layer4") || k.startsWith("visual.attnpool")),
                    "only the trunk CLIPDenoising taps");
            assertTrue(!net.isTrainable("visual.conv1.weight") && net.isTrainable("decoder.ending.weight"));
            ClipDenoiseNet endToEnd = new ClipDenoiseNet(new Parameters(m, 2), new ObjectMapper(new YAMLFactory()).readTree(architecture(false)));
            assertTrue(endToEnd.isTrainable("visual.conv1.weight") && !endToEnd.isTrainable("visual.bn1.running_mean"));
            NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 32, 48));
            NDArray a = net.forward(x), b = net.forward(x);
            assertEquals(x.getShape(), a.getShape());
            assertEquals(0f, a.sub(b).abs().max().getFloat(), "inference is deterministic");
            NDArray t = net.forwardTraining(x, new SplittableRandom(1));
            assertTrue(t.sub(a).abs().max().getFloat() > 0, "feature augmentation changes the training forward");
        }
    }

    @Test
    void forwardPassesLeaveNothingOnTheParametersManager() throws Exception {
        // BatchNorm's scale and Linear's transposed weight are computed from parameters; DJL puts such results on
        // the parameters' manager, which lives as long as the model: a training run grew by ~3 MB a step until killed
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            ClipDenoiseNet net = new ClipDenoiseNet(p, new ObjectMapper(new YAMLFactory()).readTree(architecture(false)));
            Linear linear = new Linear(p, "probe", 4, 2, true);
            int before = p.manager().getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDManager step = m.newSubManager()) {
                    net.forwardTraining(step.randomUniform(0, 1, new Shape(1, 3, 32, 32)), new SplittableRandom(i));
                    linear.forward(step.ones(new Shape(1, 4)));
                }
            }
            assertEquals(before, p.manager().getManagedArrays().size());
        }
    }

    @Test
    void trainingLeavesTheFrozenEncoderUntouched() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (int i = 0; i < 3; i++) ImageFiles.write(TestImages.scene(64, 48), data.resolve("s" + i + ".png"));
        TrainConfig config = TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(String.join("\n",
                "name: clipdenoise", "seed: 4", "method: {type: clip-denoise}", "architecture: " + architecture(true),
                "data: {clean: [{path: '" + data + "'}], noise: [{recipe: 'gaussian:15'}], patch: 32, batch: 2}",
                "optimizer: {lr: 0.002}", "schedule: {iterations: 30, warmup: 2}", "checkpoint_every: 30", "validation: {every: 1000}")));
        try (NDManager m = NDManager.newBaseManager(); Parameters reference = new Parameters(m, 4)) {
            new ClipDenoiseNet(reference, config.architecture());
            try (Trainer t = new Trainer(config, dir.resolve("run"), s -> { })) {
                t.train(Integer.MAX_VALUE, Progress.NONE);
            }
            try (InputStream in = Files.newInputStream(dir.resolve("run/checkpoint.safetensors"))) {
                int frozenChecked = 0, decoderChanged = 0;
                for (NDArray a : NDList.decode(m, in)) {
                    String name = a.getName();
                    if (!name.startsWith("param.")) continue;
                    float[] before = reference.asMap().get(name.substring(6)).toFloatArray(), after = a.toFloatArray();
                    if (name.startsWith("param.visual.")) {
                        assertArrayEquals(before, after, 0f, name + " is frozen");
                        frozenChecked++;
                    } else if (!java.util.Arrays.equals(before, after)) {
                        decoderChanged++;
                    }
                }
                assertTrue(frozenChecked > 20, "encoder tensors checked: " + frozenChecked);
                assertTrue(decoderChanged > 10, "decoder tensors trained: " + decoderChanged);
            }
        }
        // the exported model carries its encoder: its card names where the encoder came from but does not need that file
        JsonNode card = dev.lucid.model.ModelFiles.open(dir.resolve("run/model").toString()).card().architecture();
        assertTrue(!card.has("encoder_weights") && card.get("encoder_initialised_from").asText().endsWith("rn_tiny/weights.safetensors"), card.toString());
        try (dev.lucid.method.Restorer r = dev.lucid.Lucid.load(dir.resolve("run/model").toString())) {
            assertEquals(40, r.restore(TestImages.scene(40, 36)).width());
        }
    }
}
