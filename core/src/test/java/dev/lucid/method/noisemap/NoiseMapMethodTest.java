package dev.lucid.method.noisemap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lucid.Lucid;
import dev.lucid.Progress;
import dev.lucid.degrade.GaussianNoise;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.method.Guidance;
import dev.lucid.method.Methods;
import dev.lucid.method.Restorer;
import dev.lucid.nn.Architectures;
import dev.lucid.nn.Parameters;
import dev.lucid.nn.UNet;
import dev.lucid.train.TrainConfig;
import dev.lucid.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoiseMapMethodTest {

    @TempDir Path dir;

    static final String RESUNET = "{type: resunet, channels: 3, input_channels: 6, widths: [8, 16], encoder_blocks: [1], middle_blocks: 1, decoder_blocks: [1]}";

    static JsonNode yaml(String text) throws Exception { return new ObjectMapper(new YAMLFactory()).readTree(text); }

    @Test
    void theReferenceMapIsTheLocalNoiseLevel() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            NoiseMapMethod method = (NoiseMapMethod) Methods.build(p, yaml("method: {type: noise-map, sigma_window: 11}\narchitecture: " + RESUNET));
            NDArray noise = m.randomNormal(new Shape(2, 3, 64, 64)).mul(20 / 255f);
            float[] sigma = method.localSigma(noise).toFloatArray();
            double mean = 0;
            for (float v : sigma) mean += v;
            assertEquals(20 / 255.0, mean / sigma.length, 0.05 * 20 / 255, "mean of the local sigma of sigma=20 noise");
        }
    }

    @Test
    void aWarmStartFromTheBlindNetworkComputesWhatItDid() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); Parameters blind = new Parameters(m, 5); Parameters mapped = new Parameters(m, 6)) {
            JsonNode arch = yaml(RESUNET.replace("input_channels: 6", "input_channels: 3"));
            UNet old = Architectures.resUNet(blind, arch);
            for (NDArray a : blind.asMap().values()) a.addi(m.randomNormal(a.getShape()).mul(0.05f)); // a "trained" network, ending not zero
            Methods.build(mapped, yaml("method: {type: noise-map}\narchitecture: " + RESUNET));
            NDList weights = blind.toNDList();
            int[] counts = mapped.warmStart(weights);
            assertEquals(1, counts[1], "the intro convolution is widened");
            assertEquals(8, counts[2], "the estimator's four convolutions (weight and bias) start fresh");
            UNet widened = Architectures.resUNet(new Parameters(m, 7), yaml(RESUNET));
            NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 16, 16));
            float[] before = old.forward(x).toFloatArray();
            // the denoiser of the warm-started method, fed any map: the map planes have zero weights
            Parameters copy = new Parameters(m, 8);
            UNet denoiser = Architectures.resUNet(copy, yaml(RESUNET));
            NDList denoiserWeights = new NDList();
            mapped.asMap().forEach((name, a) -> { if (!name.startsWith("estimator.")) { NDArray d = a.duplicate(); d.setName(name); denoiserWeights.add(d); } });
            copy.load(denoiserWeights);
            float[] after = denoiser.forward(NDArrays.concat(new NDList(x, m.randomUniform(0, 1, x.getShape())), 1)).toFloatArray();
            assertArrayEquals(before, after, 1e-5f);
            assertTrue(widened.macsPerPixel() > old.macsPerPixel());
        }
    }

    @Test
    void trainsAndTakesAStrengthOrAKnownNoiseLevel() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (int i = 0; i < 3; i++) ImageFiles.write(TestImages.scene(48, 40), data.resolve("s" + i + ".png"));
        TrainConfig config = TrainConfig.parse(yaml(String.join("\n", "name: mapped", "seed: 4",
                "method: {type: noise-map, estimator_width: 8, sigma_window: 7}", "architecture: " + RESUNET,
                "data: {clean: [{path: '" + data + "'}], noise: [{recipe: 'gaussian:5-50'}], patch: 16, batch: 4}",
                "optimizer: {lr: 0.003}", "schedule: {iterations: 60, warmup: 3}", "checkpoint_every: 60", "validation: {every: 1000}")));
        try (Trainer t = new Trainer(config, dir.resolve("run"), s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
        Image clean = TestImages.scene(48, 40), noisy = GaussianNoise.fixed(25).applyTo(clean, 3);
        try (Restorer r = Lucid.load(dir.resolve("run/model").toString())) {
            assertEquals(Set.of(Guidance.Kind.NOISE_LEVEL, Guidance.Kind.STRENGTH), r.accepts());
            Image auto = r.restore(noisy), weak = r.restore(noisy, Guidance.none().withStrength(0.25)), given = r.restore(noisy, Guidance.none().withSigma(25.0));
            assertFalse(auto.equals(weak), "the strength changes the output");
            assertFalse(auto.equals(given), "a given noise level replaces the estimate");
            assertEquals(given, r.restore(noisy, Guidance.none().withSigma(25.0)), "deterministic");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> r.restore(noisy, Guidance.none().withStrength(0.0)));
            assertTrue(bad.getMessage().contains("strength must be in (0, 10]"), bad.getMessage());
            assertThrows(Guidance.UnsupportedGuidanceException.class, () -> r.restore(noisy, Guidance.text("a scene")));
            Image map = r.noiseMap(noisy, Progress.NONE).orElseThrow();
            assertEquals(48, map.width());
            assertEquals(3, map.channels());
            for (float v : map.plane(1)) assertTrue(v > 0 && v < 1, "sigma " + v);
        }
        try (Restorer blind = Lucid.load("lucid-real-v1")) {
            assertTrue(blind.noiseMap(noisy, Progress.NONE).isEmpty(), "a blind model estimates no map");
        }
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, yaml("method: {type: noise-map}\narchitecture: " + RESUNET.replace("input_channels: 6", "input_channels: 3"))));
            assertTrue(e.getMessage().contains("input_channels = 2 x channels"), e.getMessage());
        }
    }
}
