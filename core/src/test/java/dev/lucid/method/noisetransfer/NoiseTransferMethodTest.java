package dev.lucid.method.noisetransfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lucid.Progress;
import dev.lucid.diffusion.GaussianNoiseSource;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.method.Guidance;
import dev.lucid.method.Methods;
import dev.lucid.model.ModelFiles;
import dev.lucid.nn.Parameters;
import dev.lucid.train.PatchDataset;
import dev.lucid.train.TrainConfig;
import dev.lucid.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoiseTransferMethodTest {

    @TempDir Path dir;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TrainConfig config(int iterations) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (int i = 0; i < 2; i++) ImageFiles.write(TestImages.scene(72, 70), data.resolve("s" + i + ".png"));
        return TrainConfig.parse(YAML.readTree(String.join("\n", "name: tiny-transfer", "seed: 7",
                "method: {type: noise-transfer, queue: 8}", "architecture: {type: noise_transfer, width: 4}",
                "data: {clean: [{path: '" + data + "'}], noise: [{recipe: 'gaussian:10-40'}], reference: true, patch: 32, batch: 2}",
                "optimizer: {lr: 0.001, beta1: 0.5, beta2: 0.99}", "schedule: {iterations: " + iterations + "}", "checkpoint_every: 2", "validation: {every: 1000}")));
    }

    @Test
    void referencesAreAnotherPatchOfTheSameNoisyCrop() throws Exception {
        PatchDataset.Batch b = new PatchDataset(config(1)).batch(0);
        assertEquals(2 * 3 * 32 * 32, b.reference().length);
        double noise2 = 0, reference2 = 0, mean = 0;
        for (int i = 0; i < b.noisy().length; i++) {
            double d = b.noisy()[i] - b.clean()[i];
            noise2 += d * d;
            mean += b.reference()[i] / b.reference().length;
        }
        assertTrue(Math.sqrt(noise2 / b.noisy().length) > 10 / 255.0, "the pair is noisy");
        assertFalse(java.util.Arrays.equals(b.noisy(), b.reference()), "the reference is another patch");
        assertTrue(mean > 0.05 && mean < 0.95, "a patch of the image, not zeros: " + mean);
    }

    @Test
    void trainsBothNetworksMovesTheKeyEncoderAndFillsTheQueue() throws Exception {
        Path run = dir.resolve("run");
        try (Trainer t = new Trainer(config(2), run, s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
        String log = Files.readString(run.resolve("log.csv"));
        assertEquals(3, log.lines().count(), log);
        assertTrue(log.lines().skip(1).allMatch(l -> Double.isFinite(Double.parseDouble(l.split(",")[1]))), log);
        try (NDManager m = NDManager.newBaseManager()) {
            var weights = ModelFiles.open(run.resolve("model").toString()).decodeWeights(m);
            java.util.Map<String, NDArray> byName = new java.util.HashMap<>();
            for (NDArray a : weights) byName.put(a.getName(), a);
            assertEquals(4f, byName.get("queue_pointer").getFloat(), "two steps of two keys entered the queue");
            NDArray key = byName.get("key_encoder.pre_noise.weight"), encoder = byName.get("encoder.pre_noise.weight");
            assertFalse(key.contentEquals(encoder), "the key encoder follows the encoder slowly, it is not a copy");
            NDArray queue = byName.get("queue");
            float[] norms = queue.square().sum(new int[] {0}).sqrt().toFloatArray();
            for (float n : norms) assertEquals(1f, n, 1e-4f, "queue entries are unit vectors");
        }
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 0)) {
            NoiseTransferMethod method = (NoiseTransferMethod) Methods.build(p, ModelFiles.open(run.resolve("model").toString()).card().tree());
            NDArray refs = m.randomUniform(0f, 1f, new Shape(2, 3, 32, 32));
            NDArray e = method.embed(refs);
            assertArrayEquals(new float[] {1f, 1f}, e.square().sum(new int[] {1}).sqrt().toFloatArray(), 1e-4f);
            NDArray clean = m.randomUniform(0f, 1f, new Shape(2, 3, 32, 32));
            NDArray a = method.synthesise(clean, e, new GaussianNoiseSource(1)), b = method.synthesise(clean, e, new GaussianNoiseSource(1));
            assertEquals(clean.getShape(), a.getShape());
            assertTrue(a.contentEquals(b), "the same seed gives the same noise");
            assertFalse(a.contentEquals(method.synthesise(clean, e, new GaussianNoiseSource(2))), "another seed, another draw");
            assertThrows(Guidance.UnsupportedGuidanceException.class, () -> method.tileModel(m, Guidance.none()));
        }
        // the recipe transfer:REF@MODEL, wherever recipes go
        Path ref = dir.resolve("ref.png"), refs = Files.createDirectories(dir.resolve("refs"));
        ImageFiles.write(dev.lucid.degrade.Degradations.parse("gaussian:30").applyTo(TestImages.scene(80, 70), 3), ref);
        Files.copy(ref, refs.resolve("a.png"));
        ImageFiles.write(TestImages.scene(90, 64), refs.resolve("b.png"));
        String model = "@" + run.resolve("model");
        dev.lucid.image.Image clean = TestImages.scene(100, 60);
        dev.lucid.degrade.Degradation transfer = dev.lucid.degrade.Degradations.parse("transfer:" + ref + model);
        assertEquals("transfer:" + ref + model, transfer.describe());
        dev.lucid.image.Image noisy = transfer.applyTo(clean, 5);
        assertEquals(100, noisy.width());
        assertFalse(noisy.equals(clean), "noise was added");
        assertEquals(noisy, transfer.applyTo(clean, 5), "the same seed, the same noise");
        assertFalse(noisy.equals(transfer.applyTo(clean, 6)), "another seed, another draw");
        assertEquals(60, dev.lucid.degrade.Degradations.parse("transfer:" + refs + model).applyTo(clean, 1).height(), "a folder of references");
        // a list file names the references relative to its folder; the list of one photo draws that photo's noise
        Path list = Files.writeString(refs.resolve("list.txt"), "# the reference\n../ref.png\n\n");
        assertEquals(noisy, dev.lucid.degrade.Degradations.parse("transfer:" + list + model).applyTo(clean, 5), "a list of one reference");
        Files.writeString(list, "a.png\nmissing.png\n");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> dev.lucid.degrade.Degradations.parse("transfer:" + list + model));
        assertTrue(missing.getMessage().contains("names " + refs.resolve("missing.png").toAbsolutePath() + ", which does not exist"), missing.getMessage());
        Path small = dir.resolve("small.png"), gray = dir.resolve("gray.png"), text = Files.writeString(dir.resolve("notes.png"), "not an image");
        ImageFiles.write(TestImages.scene(40, 40), small);
        ImageFiles.write(TestImages.random(70, 70, 1, false, 8, 1), gray);
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class, () -> dev.lucid.degrade.Degradations.parse("transfer:" + small + model));
        assertTrue(tooSmall.getMessage().contains("is 40x40, smaller than one 64x64 patch"), tooSmall.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dev.lucid.degrade.Degradations.parse("transfer:" + text + model));
        IllegalArgumentException colour = assertThrows(IllegalArgumentException.class,
                () -> dev.lucid.degrade.Degradations.parse("transfer:" + gray + model).applyTo(clean, 1));
        assertTrue(colour.getMessage().contains("is gray: it holds no colour noise for a colour image"), colour.getMessage());
        // noise statistics: transfer:fit takes each pair's own noisy image as the reference
        Path noisyDir = Files.createDirectories(dir.resolve("pairs/noisy")), cleanDir = Files.createDirectories(dir.resolve("pairs/clean"));
        for (int i = 0; i < 2; i++) {
            dev.lucid.image.Image scene = TestImages.scene(96, 80);
            ImageFiles.write(scene, cleanDir.resolve("cam_" + i + ".png"));
            ImageFiles.write(dev.lucid.degrade.Degradations.parse("gaussian:20").applyTo(scene, i), noisyDir.resolve("cam_" + i + ".png"));
        }
        dev.lucid.eval.CropStrip strip = new dev.lucid.eval.CropStrip(TestImages.scene(96, 80), 32);
        java.util.List<dev.lucid.eval.NoiseRealism.Row> rows = dev.lucid.eval.NoiseRealism.run(dev.lucid.eval.EvalSet.pairs(noisyDir, cleanDir),
                java.util.List.of("gaussian:fit", "transfer:fit" + model), dev.lucid.eval.NoiseRealism.Reference.OTHER, 0, strip, Progress.NONE);
        strip.write(dir.resolve("strip.png"));
        assertEquals(7 * 64, javax.imageio.ImageIO.read(dir.resolve("strip.png").toFile()).getWidth(), "clean, real, its noise, and two recipes with theirs");
        assertTrue(rows.get(1).secondsPerMegapixel() > 0, "synthesis is timed");
        assertEquals("transfer:fit" + model, rows.get(1).recipe());
        assertEquals(2, rows.get(1).pairs());
        assertTrue(Double.isFinite(rows.get(1).akld()) && rows.get(1).ks() >= 0 && rows.get(1).ks() <= 1, rows.toString());
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class, () -> dev.lucid.degrade.Degradations.parse("transfer:" + ref + "@" + dir));
        assertTrue(noModel.getMessage().contains("transfer needs a NoiseTransfer model"), noModel.getMessage());
    }

    @Test
    void lossPiecesHaveTheirKnownValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zero = m.zeros(new Shape(2, 1, 4, 4));
            assertEquals(Math.log(2), NoiseTransferMethod.bceWithLogits(zero, true).getFloat(), 1e-6);
            assertEquals(Math.log(1 + Math.exp(-3)), NoiseTransferMethod.bceWithLogits(zero.add(3f), true).getFloat(), 1e-6);
            assertEquals(3 + Math.log(1 + Math.exp(-3)), NoiseTransferMethod.bceWithLogits(zero.add(3f), false).getFloat(), 1e-5, "softplus(3)");
            assertEquals(1000, NoiseTransferMethod.bceWithLogits(zero.add(1000f), false).getFloat(), 1e-3, "no overflow");
            NDArray flat = m.full(new Shape(1, 3, 24, 24), 0.4f);
            assertArrayEquals(flat.toFloatArray(), NoiseTransferMethod.blur(flat).toFloatArray(), 1e-6f, "a blur keeps a constant image");
            NDArray dot = m.zeros(new Shape(1, 1, 25, 25));
            dot.set(new ai.djl.ndarray.index.NDIndex("0, 0, 12, 12"), 1f);
            NDArray blurred = NoiseTransferMethod.blur(dot);
            assertEquals(1f, blurred.sum().getFloat(), 1e-5f, "the kernel sums to one");
            double centre = blurred.getFloat(0, 0, 12, 12), expected = Math.pow(1 / (Math.sqrt(2 * Math.PI) * 3.5), 2);
            assertEquals(expected, centre, 0.02 * expected, "a Gaussian of sigma 3.5 (truncated at 21 taps)");
        }
    }
}
