package dev.lucid.method.tellme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lucid.Lucid;
import dev.lucid.Progress;
import dev.lucid.degrade.CameraPipeline;
import dev.lucid.degrade.RawLowLightNoise;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.method.Guidance;
import dev.lucid.method.Methods;
import dev.lucid.method.Restorer;
import dev.lucid.nn.Parameters;
import dev.lucid.train.PatchDataset;
import dev.lucid.train.TrainConfig;
import dev.lucid.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TellMeMethodTest {

    @TempDir Path dir;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String UNET = "{type: cond_unet, channels: 4, condition_channels: 4, width: 8, multipliers: [1, 2], global_dim: 384}";

    private Path data() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        StringBuilder captions = new StringBuilder("file\tcaption\n");
        for (int i = 0; i < 3; i++) {
            ImageFiles.write(TestImages.scene(48, 40), data.resolve("s" + i + ".png"));
            captions.append("s").append(i).append(".png\ta test scene number ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("captions.tsv"), captions);
        return data;
    }

    private TrainConfig config(String method, String architecture, String noise) throws Exception {
        return TrainConfig.parse(YAML.readTree(String.join("\n", "name: tiny-tellme", "seed: 5", "method: " + method, "architecture: " + architecture,
                "data: {clean: [{path: '" + data() + "', holdout: 1, captions: '" + dir.resolve("captions.tsv") + "'}], caption_dropout: 0.5, raw: true, "
                        + "noise: [{recipe: '" + noise + "'}], patch: 32, batch: 2}",
                "optimizer: {lr: 0.001}", "schedule: {iterations: 12, warmup: 2}", "checkpoint_every: 12", "validation: {every: 1000, noise: 'raw-lowlight:0.1,0.001'}")));
    }

    @Test
    void rawBatchesArePackedCapturesWithTheRecipesNoise() throws Exception {
        PatchDataset data = new PatchDataset(config("{type: tellme}", UNET, "raw-lowlight:0.01,0.0001"));
        assertTrue(data.rawCapture());
        PatchDataset.Batch b = data.batch(3);
        assertEquals(4, b.channels());
        assertEquals(16, b.size(), "a 32-px sRGB crop packs to 4 planes of 16 x 16");
        assertEquals(2, b.raw().size());
        assertTrue(b.raw().stream().allMatch(r -> r != null && r.whiteLevel() == 16383));
        // y = x + N(0, 0.01 x + 0.0001): the residual's variance follows the clean raw value
        double residual2 = 0, model = 0;
        for (int i = 0; i < b.noisy().length; i++) {
            double d = b.noisy()[i] - b.clean()[i];
            residual2 += d * d;
            model += Math.max(0, 0.01 * b.clean()[i] + 0.0001);
        }
        assertEquals(1, residual2 / model, 0.1, "noise variance x * shot + read");
        assertEquals(b.noisy()[17], data.batch(3).noisy()[17], "a batch is a function of the step");

        Path cameraFile = Files.writeString(dir.resolve("phone.yaml"), String.join("\n", "name: phone", "cfa: GRBG", "matrix_mix: [0, 1, 0, 0]",
                "white_balance: [2.0, 1.0, 1.5]", "noise: raw-lowlight:0.2,0.01"));
        PatchDataset phone = new PatchDataset(config("{type: tellme}", UNET, "raw-camera:" + cameraFile));
        assertEquals(Set.of("phone"), phone.simulatedCameras());
        assertTrue(phone.batch(0).raw().stream().allMatch(r -> r.cfaPattern().equals("GRBG")), "every sample is the camera's");
        assertArrayEquals(new double[] {2.0, 1.0, 1.5}, phone.batch(0).raw().get(0).whiteBalance(), 1e-12);
        IllegalArgumentException srgbNoise = assertThrows(IllegalArgumentException.class,
                () -> new PatchDataset(config("{type: tellme}", UNET, "gaussian:25")));
        assertTrue(srgbNoise.getMessage().contains("data.noise recipes must be raw-lowlight or raw-camera:FILE"), srgbNoise.getMessage());
    }

    @Test
    void trainsOnRawCapturesAndRestoresRawWithCaptionsStepsAndSeeds() throws Exception {
        try (Trainer t = new Trainer(config("{type: tellme, steps: 50, sample_start: 30, sample_steps: 3}", UNET, "raw-lowlight"),
                dir.resolve("run"), s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
            JsonNode card = t.card().tree();
            assertTrue(card.at("/training/raw_capture").asBoolean());
            assertTrue(card.at("/training/validation").asText().endsWith("(raw PSNR)"));
            assertTrue(Double.isFinite(card.at("/training/validation_psnr").asDouble(Double.NaN)), "validated on raw captures of the held-out image");
        }
        Image noisy = RawLowLightNoise.of(0.18, 0.18, null, null).capture(TestImages.scene(40, 36), null, 7).noisy();
        Path dng = dir.resolve("noisy.dng");
        ImageFiles.write(noisy, dng);
        Image read = ImageFiles.read(dng);
        assertEquals(noisy.raw().cfaPattern(), read.raw().cfaPattern());
        assertArrayEquals(noisy.raw().whiteBalance(), read.raw().whiteBalance(), 2e-3, "a DNG keeps the camera's white balance");
        try (Restorer r = Lucid.load(dir.resolve("run/model").toString())) {
            assertEquals(Set.of(Guidance.Kind.TEXT, Guidance.Kind.STEPS, Guidance.Kind.SEED), r.accepts());
            Guidance seeded = Guidance.none().withSeed(1L);
            Image once = r.restore(read, seeded);
            assertEquals(4, once.channels());
            assertEquals(20, once.width());
            assertEquals(18, once.height());
            assertEquals(read.raw(), once.raw(), "the output is raw of the same camera (for a DNG, or rendering)");
            assertEquals(once, r.restore(read, seeded), "the same seed gives the same image");
            assertFalse(once.equals(r.restore(read, seeded.withSeed(2L))), "another seed, another start");
            assertFalse(once.equals(r.restore(read, seeded.withText("a test scene"))), "the caption reaches the network");
            assertFalse(once.equals(r.restore(read, seeded.withSteps(1))), "one step: the x0 prediction at the start");
            assertEquals(20, r.restore(read, seeded.withSteps(50)).width(), "T steps: the ancestral chain from noise");
            Guidance.UnsupportedGuidanceException steps = assertThrows(Guidance.UnsupportedGuidanceException.class, () -> r.restore(read, seeded.withSteps(31)));
            assertTrue(steps.getMessage().contains("steps must be in [1, 30] (DDIM from the measurement at step 30) or 50"), steps.getMessage());
            IllegalArgumentException srgb = assertThrows(IllegalArgumentException.class, () -> r.restore(TestImages.scene(40, 36), seeded));
            assertEquals("model tiny-tellme denoises raw camera data: give a DNG (or a CFA TIFF), not a 3-channel srgb image", srgb.getMessage());
            Path out = dir.resolve("out.png");
            ImageFiles.write(once, out);
            Image rendered = ImageFiles.read(out);
            assertEquals(3, rendered.channels(), "raw written as PNG is rendered by the camera's ISP");
            assertEquals(40, rendered.width());
            assertEquals(16, rendered.bitDepth());
        }
        java.io.IOException ensemble = assertThrows(java.io.IOException.class, () -> Lucid.load(dir.resolve("run/model") + ":ensemble=8"));
        assertTrue(ensemble.getMessage().endsWith("ensemble works on sRGB and gray models; tiny-tellme restores packed raw, whose colour filter pattern a flip would change"), ensemble.getMessage());
        try (Restorer srgbModel = Lucid.load("lucid-real")) {
            Image out = srgbModel.restore(read, Guidance.none());
            assertEquals(3, out.channels(), "an sRGB model restores the rendered raw (the ISP-then-denoise route)");
            assertEquals(40, out.width());
        }
    }

    @Test
    void aCameraAdapterTrainsWithTheBaseFrozenAndLoadsByName() throws Exception {
        Path base = dir.resolve("base");
        try (Trainer t = new Trainer(config("{type: tellme, steps: 50, sample_start: 30, sample_steps: 2}", UNET, "raw-lowlight"), base, s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
        Path cameraFile = Files.writeString(dir.resolve("phone.yaml"), String.join("\n", "name: phone", "cfa: GRBG", "matrix_mix: [0, 1, 0, 0]",
                "white_balance: [2.0, 1.0, 1.5]", "noise: raw-lowlight:0.2,0.05"));
        TrainConfig lora = TrainConfig.parse(YAML.readTree(String.join("\n", "name: tiny-tellme-phone", "seed: 6",
                "adapt: {base: '" + base.resolve("model") + "', rank: 2}",
                "data: {clean: [{path: '" + data() + "', holdout: 1}], raw: true, noise: [{recipe: 'raw-camera:" + cameraFile + "'}], patch: 32, batch: 2}",
                "optimizer: {lr: 0.01}", "schedule: {iterations: 6}", "checkpoint_every: 6", "validation: {every: 1000, noise: 'raw-camera:" + cameraFile + "'}")));
        Path run = dir.resolve("lora");
        try (Trainer t = new Trainer(lora, run, s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
            JsonNode card = t.adapterCard();
            assertEquals("tiny-tellme", card.path("base").asText());
            assertEquals("phone", card.path("camera").asText());
            assertTrue(card.path("loss").asText().startsWith("supervised"), card.toString());
        }
        // adapt.timesteps: sampling learns on the restore's own path (the sampling start, diffused from the measurement)
        TrainConfig sampling = TrainConfig.parse(YAML.readTree(YAML.writeValueAsString(lora.raw()).replace("rank: 2", "rank: 2\n  timesteps: \"sampling\"")));
        Path samplingRun = dir.resolve("lora-sampling");
        try (Trainer t = new Trainer(sampling, samplingRun, s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
            assertEquals("sampling", t.adapterCard().path("timesteps").asText());
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(run.resolve("adapter.safetensors")), Files.readAllBytes(samplingRun.resolve("adapter.safetensors"))),
                "the two paths train different adapters");
        TrainConfig misspelt = TrainConfig.parse(YAML.readTree(YAML.writeValueAsString(lora.raw()).replace("rank: 2", "rank: 2\n  timesteps: \"start\"")));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new Trainer(misspelt, dir.resolve("bad"), s -> { }).close());
        assertEquals("adapt.timesteps must be all or sampling, got \"start\"", bad.getMessage());
        byte[] baseWeights = Files.readAllBytes(base.resolve("model/weights.safetensors"));
        // shipped beside the model: cameras/NAME/ and the card's list
        Path model = dir.resolve("model");
        Files.createDirectories(model.resolve("cameras/phone"));
        Files.write(model.resolve("weights.safetensors"), baseWeights);
        Files.copy(run.resolve("adapter.json"), model.resolve("cameras/phone/adapter.json"));
        Files.copy(run.resolve("adapter.safetensors"), model.resolve("cameras/phone/adapter.safetensors"));
        assertTrue(Files.size(model.resolve("cameras/phone/adapter.safetensors")) < 1_000_000, "an adapter is under 1 MB");
        com.fasterxml.jackson.databind.node.ObjectNode modelCard = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(base.resolve("model/model.json").toFile());
        modelCard.putArray("cameras").add("phone");
        Files.writeString(model.resolve("model.json"), modelCard.toString());
        Image noisy = dev.lucid.degrade.RawLowLightNoise.capture(dev.lucid.degrade.Degradations.parse("raw-camera:" + cameraFile), TestImages.scene(32, 32), 2).noisy();
        try (Restorer plain = Lucid.load(model.toString()); Restorer phone = Lucid.load(model + ":camera=phone")) {
            assertFalse(plain.restore(noisy, Guidance.none()).equals(phone.restore(noisy, Guidance.none())), "the camera adapter changes the model");
        }
        java.io.IOException unknown = assertThrows(java.io.IOException.class, () -> Lucid.load(model + ":camera=dslr"));
        assertEquals("model tiny-tellme has no camera \"dslr\" (cameras: phone)", unknown.getMessage());
        modelCard.put("name", "another-model");
        Files.writeString(model.resolve("model.json"), modelCard.toString());
        java.io.IOException foreign = assertThrows(java.io.IOException.class, () -> Lucid.load(model + ":camera=phone"));
        assertTrue(foreign.getMessage().contains("was made for the model tiny-tellme, not another-model"), foreign.getMessage());
    }

    @Test
    void theNoTextControlTakesNoCaptionAndSettingsAreChecked() throws Exception {
        String control = "{type: cond_unet, channels: 4, condition_channels: 4, width: 8, multipliers: [1, 2], global_dim: 0}";
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            assertEquals(Set.of(Guidance.Kind.STEPS, Guidance.Kind.SEED),
                    Methods.build(p, YAML.readTree("method: {type: tellme, text_encoder: none}\narchitecture: " + control)).accepts());
            IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: tellme}\narchitecture: " + control)));
            assertTrue(dim.getMessage().contains("global_dim must be the text encoder's dimension (384 for sentence), got 0"), dim.getMessage());
            IllegalArgumentException rgb = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: tellme, text_encoder: none}\narchitecture: {type: cond_unet, multipliers: [1]}")));
            assertTrue(rgb.getMessage().contains("channels and condition_channels must be 4"), rgb.getMessage());
            IllegalArgumentException start = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: tellme, text_encoder: none, steps: 100, sample_start: 200}\narchitecture: " + control)));
            assertTrue(start.getMessage().contains("sample_start must be in [1, 100]"), start.getMessage());
        }
    }

    @Test
    void anSrgbOutputOfTheIspRouteGoesBackToRawExactly() {
        Image clean = RawLowLightNoise.of(0.1, 0.1, null, null).capture(TestImages.scene(32, 24), null, 3).clean();
        Image back = CameraPipeline.unrender(CameraPipeline.render(clean), clean.raw());
        assertEquals(clean.raw(), back.raw());
        double worst = 0;
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < clean.plane(c).length; i++) {
                float v = clean.plane(c)[i];
                if (v > 0.02 && v < 0.9) worst = Math.max(worst, Math.abs(v - back.plane(c)[i]));    // away from the tone curve's clipping
            }
        }
        assertTrue(worst < 0.05, "render then unrender is the identity up to demosaicing: worst " + worst);
    }
}
