package dev.lucid.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lucid.Progress;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainerTest {

    @TempDir static Path data;
    @TempDir Path runs;

    @BeforeAll
    static void makeData() throws IOException {
        // smooth scenes, so that denoising can gain a lot over the noisy input
        for (int i = 0; i < 4; i++) ImageFiles.write(TestImages.scene(40 + 4 * i, 36), data.resolve("img" + i + ".png"));
        ImageFiles.write(TestImages.random(40, 36, 1, false, 8, 9), data.resolve("gray.png"));
    }

    static final String NAFUNET = "{type: nafunet, channels: 3, width: 4, encoder_blocks: [1], middle_blocks: 1, decoder_blocks: [1]}";
    static final String RESUNET = "{type: resunet, channels: 3, widths: [4, 8], encoder_blocks: [1], middle_blocks: 1, decoder_blocks: [1]}";

    static TrainConfig config(int iterations) throws IOException {
        return config(iterations, NAFUNET);
    }

    static TrainConfig config(int iterations, String architecture) throws IOException {
        return TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml(iterations, architecture)));
    }

    static String yaml(int iterations, String architecture) {
        return String.join("\n",
                "name: tiny",
                "seed: 5",
                "architecture: " + architecture,
                "data:",
                "  clean: [{path: '" + data + "', holdout: 1}]",
                "  noise: [{recipe: 'gaussian:0-50', weight: 1}, {recipe: 'poisson-gaussian:0.01,0.02', weight: 1}]",
                "  patch: 16",
                "  batch: 2",
                "optimizer: {lr: 0.01, weight_decay: 0.01, grad_clip: 0.5}",
                "schedule: {iterations: " + iterations + ", warmup: 3}",
                "ema: 0.9",
                "loss: charbonnier",
                "checkpoint_every: 5",
                "validation: {every: 7, noise: 'gaussian:25'}");
    }

    @Test
    void resumeContinuesBitForBit() throws IOException {
        float[] straight;
        try (Trainer t = new Trainer(config(100), runs.resolve("a"), s -> { })) {
            t.train(20, Progress.NONE);
            straight = t.flatWeights();
            assertEquals(20, t.step());
        }
        try (Trainer t = new Trainer(config(100), runs.resolve("b"), s -> { })) {
            t.train(10, Progress.NONE);
        }
        float[] resumed;
        try (Trainer t = new Trainer(config(100), runs.resolve("b"), s -> { })) {
            assertTrue(t.hasCheckpoint());
            t.resume();
            assertEquals(10, t.step());
            t.train(10, Progress.NONE);
            resumed = t.flatWeights();
        }
        assertArrayEquals(straight, resumed, 0f);
        List<String> log = Files.readAllLines(runs.resolve("b/log.csv"));
        assertEquals(21, log.size(), "header + one line per step, none duplicated by the resume");
        assertEquals(Files.readAllLines(runs.resolve("a/log.csv")).size(), log.size());
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aDeadlineEndsTrainingWithItsCheckpointWrittenByThen() throws IOException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        int stepped;
        try (Trainer t = new Trainer(config(1_000_000), runs.resolve("timed"), s -> { })) {
            t.stopBy(deadline);
            t.train(Integer.MAX_VALUE, Progress.NONE);
            stepped = t.step();
        }
        long late = System.nanoTime() - deadline;
        // a step and a checkpoint here take milliseconds to a few hundred on a loaded machine: the slack is for timing noise
        assertTrue(late < 500_000_000L, "returned " + late / 1e6 + " ms after its deadline");
        assertTrue(stepped > 0, "took no step in 3 s");
        try (Trainer t = new Trainer(config(1_000_000), runs.resolve("timed"), s -> { })) {
            t.resume();
            assertEquals(stepped, t.step(), "the last step taken is in the checkpoint");
        }
    }

    @Test
    void aRunContinuedFromExportedWeightsTakesUpTheScheduleAtTheirStep() throws IOException {
        try (Trainer t = new Trainer(config(20, RESUNET), runs.resolve("first"), s -> { })) {
            t.train(12, Progress.NONE);
        }
        String continued = yaml(20, RESUNET) + "\ninit: '" + runs.resolve("first/model") + "'\ninit_step: 12";
        TrainConfig config = TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(continued));
        try (Trainer t = new Trainer(config, runs.resolve("continued"), s -> { })) {
            assertEquals(12, t.step());
            t.train(Integer.MAX_VALUE, Progress.NONE);
            assertEquals(20, t.step(), "the 8 steps left, not 20 more");
        }
        List<String> log = Files.readAllLines(runs.resolve("continued/log.csv"));
        assertEquals(1 + 8, log.size());
        LearningRate schedule = new LearningRate(0.01, 1e-6, 3, 20);
        String[] first = log.get(1).split(",");
        assertEquals("13", first[0]);
        assertEquals(schedule.at(12), Double.parseDouble(first[2]), 1e-3 * schedule.at(12), "the learning rate where the first run left it");
        JsonNode training = ModelFiles.open(runs.resolve("continued/model").toString()).card().tree().get("training");
        assertEquals(20, training.get("iterations_done").asInt());
        for (String bad : List.of("init_step: 12", "init: '" + runs.resolve("first/model") + "'\ninit_step: 20")) {
            TrainConfig wrong = TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml(20, RESUNET) + "\n" + bad));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(wrong, runs.resolve("bad"), s -> { }).close());
            assertTrue(e.getMessage().contains("init_step"), e.getMessage());
        }
    }

    @Test
    void aMethodWithTwoNetworksAndTwoOptimisersResumesBitForBit() throws IOException {
        // dev.lucid.method.TwoNetworkMethod, registered for tests only: a generator and a critic, each with its optimiser
        String yaml = String.join("\n", "name: two", "seed: 3", "method: {type: test-two-networks}", "architecture: {width: 4}",
                "data: {clean: [{path: '" + data + "'}], noise: [{recipe: 'gaussian:25'}], patch: 16, batch: 2}",
                "optimizer: {lr: 0.01}", "schedule: {iterations: 40, warmup: 2}", "checkpoint_every: 5", "snapshot_every: 6", "validation: {every: 1000}");
        TrainConfig config = TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml));
        float[] straight, resumed;
        try (Trainer t = new Trainer(config, runs.resolve("two-a"), s -> { })) {
            float[] initial = t.flatWeights();
            t.train(12, Progress.NONE);
            straight = t.flatWeights();
            assertFalse(java.util.Arrays.equals(initial, straight));
        }
        // a GAN is judged snapshot by snapshot: the EMA model of every 6th step is kept, each loadable and each its own
        Path snapshots = runs.resolve("two-a/snapshots");
        try (java.util.stream.Stream<Path> kept = Files.list(snapshots)) {
            assertEquals(List.of("step-12", "step-6"), kept.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("two", dev.lucid.model.ModelFiles.open(snapshots.resolve("step-6").toString()).card().name());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(snapshots.resolve("step-6/weights.safetensors")),
                Files.readAllBytes(snapshots.resolve("step-12/weights.safetensors"))));
        try (Trainer t = new Trainer(config, runs.resolve("two-b"), s -> { })) {
            t.train(7, Progress.NONE);
        }
        try (Trainer t = new Trainer(config, runs.resolve("two-b"), s -> { })) {
            t.resume();
            t.train(5, Progress.NONE);
            resumed = t.flatWeights();
        }
        assertArrayEquals(straight, resumed, 0f);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
             java.io.InputStream in = Files.newInputStream(runs.resolve("two-b/checkpoint.safetensors"))) {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (ai.djl.ndarray.NDArray a : ai.djl.ndarray.NDList.decode(m, in)) names.add(a.getName());
            for (String n : List.of("adam.m.generator.in.weight", "adam.v.critic.out.weight", "ema.critic.in.weight", "param.generator.out.weight")) {
                assertTrue(names.contains(n), "checkpoint holds " + n);
            }
        }
    }

    /**
     * A method's step and a checkpoint must leave nothing on the run's manager: NoiseTransfer's key encoder update once did
     * (6 MB a step; a run was killed for memory at step 3 400), and every checkpoint left a copy of all the weights.
     */
    @Test
    void aStepOfNoiseTransferLeavesNoArrayBehind() throws IOException {
        Path crops = Files.createDirectories(runs.resolve("crops"));
        for (int i = 0; i < 2; i++) ImageFiles.write(TestImages.scene(72, 70), crops.resolve("s" + i + ".png"));
        TrainConfig config = TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(String.join("\n", "name: tiny-transfer", "seed: 7",
                "method: {type: noise-transfer, queue: 8}", "architecture: {type: noise_transfer, width: 4}",
                "data: {clean: [{path: '" + crops + "'}], noise: [{recipe: 'gaussian:10-40'}], reference: true, patch: 32, batch: 2}",
                "optimizer: {lr: 0.001, beta1: 0.5, beta2: 0.99}", "schedule: {iterations: 6}", "checkpoint_every: 100", "validation: {every: 1000}")));
        try (Trainer t = new Trainer(config, runs.resolve("transfer"), s -> { })) {
            t.train(1, Progress.NONE);
            int held = t.arraysHeld();
            t.train(3, Progress.NONE);
            assertEquals(held, t.arraysHeld(), "arrays held after 1 step and a checkpoint, and after 3 more and another");
        }
    }

    /** An unclipped gradient spike stalls Adam for thousands of steps: the trainer says so once per optimiser, and not when clipping is set. */
    @Test
    void anUnclippedGradientSpikeIsReportedOncePerOptimiser() throws IOException {
        for (String clip : List.of("0", "1.0")) {
            String yaml = String.join("\n", "name: spiky", "seed: 3", "method: {type: test-two-networks}", "architecture: {width: 4, critic_loss_scale: 1.0e12}",
                    "data: {clean: [{path: '" + data + "'}], noise: [{recipe: 'gaussian:25'}], patch: 16, batch: 2}",
                    "optimizer: {lr: 0.01, grad_clip: " + clip + "}", "schedule: {iterations: 6}", "checkpoint_every: 100", "validation: {every: 1000}");
            List<String> lines = new java.util.ArrayList<>();
            try (Trainer t = new Trainer(TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml)), runs.resolve("spiky-" + clip), lines::add)) {
                t.train(6, Progress.NONE);
            }
            List<String> warnings = lines.stream().filter(l -> l.startsWith("warning:")).toList();
            if (clip.equals("0")) {
                assertEquals(1, warnings.size(), "one warning in six spiking steps: " + warnings);
                assertTrue(warnings.get(0).contains("\"critic\"") && warnings.get(0).contains("grad_clip"), warnings.get(0));
            } else {
                assertEquals(List.of(), warnings, "clipped: nothing to report");
            }
        }
    }

    /** A caption file giving each training image its own caption, "scene FILE". */
    private Path sceneCaptions(String name) throws IOException {
        StringBuilder tsv = new StringBuilder("file\tcaption\n");
        for (Path f : ImageFiles.listImages(data)) tsv.append(f.getFileName()).append("\tscene ").append(f.getFileName()).append('\n');
        return Files.writeString(runs.resolve(name), tsv);
    }

    @Test
    void batchesCarryCaptionsWithDropoutAndTheTask() throws IOException {
        Path captions = sceneCaptions("captions.tsv");
        String yaml = String.join("\n", "name: captions", "seed: 3", "architecture: " + RESUNET,
                "data: {clean: [{path: '" + data + "', captions: '" + captions + "'}], caption_dropout: 0.3,",
                "       noise: [{recipe: 'gaussian:25'}, {recipe: 'rain:0.01'}], patch: 16, batch: 64}", "schedule: {iterations: 5}");
        PatchDataset.Batch b = new PatchDataset(TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml))).batch(0);
        long dropped = b.captions().stream().filter(java.util.Objects::isNull).count();
        assertTrue(dropped > 5 && dropped < 40, "about 30% of 64 captions dropped: " + dropped);
        assertEquals(dropped, b.captionDropped().stream().filter(d -> d).count(), "every missing caption was dropped, not absent");
        assertTrue(b.captions().stream().filter(java.util.Objects::nonNull).allMatch(c -> c.startsWith("scene img") || c.startsWith("scene gray")));
        assertTrue(b.tasks().contains("denoise") && b.tasks().contains("derain"), b.tasks().toString());
        Files.writeString(captions, "file\tcaption\nimg0.png\ta scene\n");
        IOException missing = assertThrows(IOException.class, () -> new PatchDataset(TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml))));
        assertTrue(missing.getMessage().contains("has no caption for"), missing.getMessage());
    }

    @Test
    void captionShuffleGivesKeptCaptionsAnotherImagesCaptionAndChangesNothingElse() throws IOException {
        Path captions = sceneCaptions("captions-shuffle.tsv");
        List<Path> files = ImageFiles.listImages(data);
        java.util.function.Function<String, String> yaml = shuffle -> String.join("\n", "name: captions", "seed: 3", "architecture: " + RESUNET,
                "data: {clean: [{path: '" + data + "', captions: '" + captions + "'}], caption_dropout: 0.3, " + shuffle,
                "       noise: [{recipe: 'gaussian:25'}], patch: 16, batch: 64}", "schedule: {iterations: 5}");
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        PatchDataset.Batch own = new PatchDataset(TrainConfig.parse(mapper.readTree(yaml.apply("")))).batch(2);
        PatchDataset.Batch shuffled = new PatchDataset(TrainConfig.parse(mapper.readTree(yaml.apply("caption_shuffle: 0.5,")))).batch(2);
        // the same patches and dropouts: the shuffle draws from a stream of its own
        assertArrayEquals(own.noisy(), shuffled.noisy());
        assertArrayEquals(own.clean(), shuffled.clean());
        assertEquals(own.captionDropped(), shuffled.captionDropped());
        java.util.Set<String> known = new java.util.HashSet<>();
        for (Path f : files) known.add("scene " + f.getFileName());
        int kept = 0, swapped = 0;
        for (int i = 0; i < own.n(); i++) {
            String mine = own.captions().get(i), given = shuffled.captions().get(i);
            if (mine == null) {
                assertEquals(null, given, "a dropped caption stays dropped");
                continue;
            }
            kept++;
            assertTrue(known.contains(given), given);
            if (!given.equals(mine)) swapped++;
        }
        assertTrue(swapped > 0.3 * kept && swapped < 0.7 * kept, "about half of " + kept + " kept captions swapped: " + swapped);
        // every image captioned alike: there is no other caption to give
        Files.writeString(captions, files.stream().map(f -> f.getFileName() + "\ta scene\n").collect(java.util.stream.Collectors.joining("", "file\tcaption\n", "")));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> new PatchDataset(TrainConfig.parse(mapper.readTree(yaml.apply("caption_shuffle: 0.5,")))));
        assertTrue(one.getMessage().contains("at least two different captions"), one.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> TrainConfig.parse(mapper.readTree(yaml.apply("caption_shuffle: 1.5,"))));
        assertTrue(range.getMessage().contains("data.caption_shuffle must be between 0 and 1"), range.getMessage());
    }

    /**
     * On a black image haze is the airlight's veil A·(1 − t) alone. Cut from a 480² frame, a 32² patch spans a fifteenth of
     * the frame's depth range, so its veil is nearly even; haze synthesised on the patch as a frame of its own (before
     * session 18) spread 0.57 on average, the thick and thin ends of a whole frame in 32 pixels.
     */
    @Test
    void trainingPatchesGetTheHazeOfTheirPartOfTheImage(@TempDir Path dir) throws IOException {
        ImageFiles.write(new dev.lucid.image.Image(480, 480, new float[3][480 * 480], null, 8, dev.lucid.image.Image.Encoding.SRGB, "black"), dir.resolve("black.png"));
        String yaml = String.join("\n", "name: haze", "seed: 4", "architecture: " + RESUNET,
                "data: {clean: [{path: '" + dir + "'}], noise: [{recipe: 'haze:1.5'}], patch: 32, batch: 16}", "schedule: {iterations: 5}");
        PatchDataset.Batch b = new PatchDataset(TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml))).batch(0);
        int pp = 32 * 32;
        double spread = 0;
        for (int i = 0; i < b.n(); i++) {
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (int k = 0; k < pp; k++) {
                float v = b.noisy()[i * 3 * pp + k];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            assertTrue(hi > 0.05, "hazed: " + hi);
            spread += (hi - lo) / b.n();
        }
        assertTrue(spread < 0.1, "mean spread of the veil within a patch: " + spread);
    }

    @ParameterizedTest
    @ValueSource(strings = {NAFUNET, RESUNET})
    void trainingImprovesTheValidationAndExportsALoadableModel(String architecture) throws IOException {
        try (Trainer t = new Trainer(config(60, architecture), runs.resolve("c"), s -> { })) {
            double before = t.validate();
            t.train(Integer.MAX_VALUE, Progress.NONE);
            assertEquals(60, t.step());
            double after = t.validate();
            assertTrue(after > before + 1, "validation PSNR went from " + before + " to " + after + " dB");
        }
        ModelFiles.Source model = ModelFiles.open(runs.resolve("c/model").toString());
        assertEquals("trained", model.card().tree().get("status").asText());
        assertEquals(60, model.card().training().get("iterations_done").asInt());
        assertTrue(model.card().training().has("validation_psnr"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{type: cond_unet, channels: 3, condition_channels: 3, width: 8, multipliers: [1, 2]}",
            "{type: resunet, channels: 3, input_channels: 7, widths: [8, 16], encoder_blocks: [1], middle_blocks: 1, decoder_blocks: [1]}"})
    void trainsAnInterpolationDiffusionDenoiserAndRestoresWithIt(String stepNetwork) throws IOException {
        TrainConfig config = TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(String.join("\n",
                "name: interp", "seed: 2",
                "method: {type: interpolation-diffusion, steps: 8, sample_steps: 2, sampling: improved}",
                "architecture: " + stepNetwork,
                "data: {clean: [{path: '" + data + "', holdout: 1}], noise: [{recipe: 'gaussian:25'}], patch: 16, batch: 4}",
                "optimizer: {lr: 0.003}", "schedule: {iterations: 60, warmup: 3}", "loss: charbonnier", "checkpoint_every: 30",
                "validation: {every: 60, noise: 'gaussian:25'}")));
        try (Trainer t = new Trainer(config, runs.resolve("interp"), s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
        List<String> log = Files.readAllLines(runs.resolve("interp/log.csv"));
        double first = meanLoss(log.subList(1, 11)), last = meanLoss(log.subList(51, 61));
        assertTrue(last < first, "Charbonnier loss fell from " + first + " to " + last);
        ModelFiles.Source model = ModelFiles.open(runs.resolve("interp/model").toString());
        assertEquals("interpolation-diffusion", model.card().tree().get("method").get("type").asText());
        String dir = runs.resolve("interp/model").toString();
        dev.lucid.image.Image noisy = TestImages.random(24, 20, 3, false, 8, 5);
        try (dev.lucid.method.Restorer r = dev.lucid.Lucid.load(dir)) {
            assertEquals(24, r.restore(noisy).width());
        }
        // settings on the model name: one step is the network's x0 prediction, the same for both samplers
        float[] originOne = restorePlane(dir + ":sample_steps=1,sampling=origin", noisy);
        assertArrayEquals(originOne, restorePlane(dir + ":sampling=improved,sample_steps=1", noisy), 0f);
        assertFalse(java.util.Arrays.equals(originOne, restorePlane(dir + ":sample_steps=2,sampling=origin", noisy)));
        for (String[] bad : new String[][] {{":steps_total=3", "has no setting \"steps_total\""}, {":sample_steps=two", "whole number"},
                {":sampling=ddim", "origin or improved"}, {":sample_steps=99", "between 1 and"}}) {
            IOException e = assertThrows(IOException.class, () -> dev.lucid.Lucid.load(dir + bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    private static float[] restorePlane(String spec, dev.lucid.image.Image noisy) throws IOException {
        try (dev.lucid.method.Restorer r = dev.lucid.Lucid.load(spec)) {
            return r.restore(noisy).plane(0);
        }
    }

    @Test
    void pairedSourcesAreCroppedTogether() throws IOException {
        java.nio.file.Path noisyDir = java.nio.file.Files.createDirectories(runs.resolve("pn")), cleanDir = java.nio.file.Files.createDirectories(runs.resolve("pc"));
        dev.lucid.image.Image clean = TestImages.random(40, 36, 3, false, 8, 11);
        float[][] shifted = new float[3][];
        for (int c = 0; c < 3; c++) {
            shifted[c] = clean.plane(c).clone();
            for (int i = 0; i < shifted[c].length; i++) shifted[c][i] = Math.min(1f, shifted[c][i] + 10 / 255f);
        }
        ImageFiles.write(clean, cleanDir.resolve("a.png"));
        ImageFiles.write(clean.withPlanes(shifted), noisyDir.resolve("a.png"));
        TrainConfig config = TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(String.join("\n",
                "name: pairs", "architecture: {type: nafunet, width: 4, encoder_blocks: [1], middle_blocks: 1, decoder_blocks: [1]}",
                "data: {pairs: [{noisy: '" + noisyDir + "', clean: '" + cleanDir + "'}], patch: 16, batch: 3}", "schedule: {iterations: 5}")));
        PatchDataset data = new PatchDataset(config);
        PatchDataset.Batch b = data.batch(7);
        for (int i = 0; i < b.noisy().length; i++) {
            float d = b.noisy()[i] - b.clean()[i];
            assertTrue(d >= -1e-6 && d <= 10 / 255f + 1e-6, "the noisy crop is the clean crop of the same place, +10 levels: " + d);
        }
        assertEquals(1, data.trainingImages());
    }

    @Test
    void badConfigsFailClearly() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.parse(new ObjectMapper().readTree("{\"name\": \"x\"}")));
        assertTrue(e.getMessage().contains("\"data\""), e.getMessage());
        IllegalArgumentException snapshots = assertThrows(IllegalArgumentException.class, () -> TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(
                "name: x\nadapt: {base: lucid-real}\nsnapshot_every: 10\ndata: {noisy: [{path: photos}]}\nschedule: {iterations: 5}")));
        assertTrue(snapshots.getMessage().startsWith("snapshot_every keeps whole models"), snapshots.getMessage());
        IllegalArgumentException rawTask = assertThrows(IllegalArgumentException.class, () -> TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(
                "name: x\narchitecture: " + NAFUNET + "\ndata: {raw: true, clean: [{path: x}], noise: [{recipe: raw-lowlight, task: none}]}\nschedule: {iterations: 5}")));
        assertTrue(rawTask.getMessage().startsWith("data.noise[].task labels"), rawTask.getMessage());
        IllegalArgumentException noInit = assertThrows(IllegalArgumentException.class, () -> TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(
                "name: x\narchitecture: " + NAFUNET + "\ntrainable: [enc]\ndata: {clean: [{path: x}], noise: [{recipe: none}]}\nschedule: {iterations: 5}")));
        assertTrue(noInit.getMessage().startsWith("trainable trains part of a model that init gives"), noInit.getMessage());
        try (Trainer t = new Trainer(config(1), runs.resolve("one-step"), s -> { })) {
            t.train(1, Progress.NONE);
        }
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class, () -> new Trainer(TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(
                yaml(5, NAFUNET) + "\ninit: '" + runs.resolve("one-step/model") + "'\ntrainable: [no.such.layer]")), runs.resolve("nothing"), s -> { }));
        assertTrue(nothing.getMessage().contains("names no parameter"), nothing.getMessage());
        IOException missing = assertThrows(IOException.class, () -> new Trainer(TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(
                "name: x\narchitecture: {type: nafunet, width: 4, encoder_blocks: [1], middle_blocks: 1, decoder_blocks: [1]}\n"
                        + "data: {clean: [{path: /no/such/dir}], noise: [{recipe: 'gaussian:5'}]}\nschedule: {iterations: 5}")), runs, s -> { }));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertFalse(Files.exists(runs.resolve("checkpoint.safetensors")));
        // adapt.timesteps: sampling is for diffusion models; a single-pass denoiser refuses it before any update
        try (Trainer t = new Trainer(TrainConfig.parse(new ObjectMapper(new YAMLFactory()).readTree("name: x\nadapt: {base: lucid-real, timesteps: sampling}\n"
                + "data: {clean: [{path: '" + data + "'}], noise: [{recipe: 'gaussian:5'}], patch: 32, batch: 2}\nschedule: {iterations: 5}")), runs.resolve("single-pass"), s -> { })) {
            IllegalArgumentException sampling = assertThrows(IllegalArgumentException.class, () -> t.train(Integer.MAX_VALUE, dev.lucid.Progress.NONE));
            assertTrue(sampling.getMessage().startsWith("adapt.timesteps: sampling is for diffusion models"), sampling.getMessage());
        }
        assertFalse(Files.exists(runs.resolve("single-pass/adapter.safetensors")));
        JsonNode threePlanes = new ObjectMapper(new YAMLFactory()).readTree(
                "method: {type: interpolation-diffusion}\narchitecture: {type: resunet, widths: [4, 8], encoder_blocks: [1], middle_blocks: 1, decoder_blocks: [1]}");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(); dev.lucid.nn.Parameters p = new dev.lucid.nn.Parameters(m, 1)) {
            IllegalArgumentException planes = assertThrows(IllegalArgumentException.class, () -> dev.lucid.method.Methods.build(p, threePlanes));
            assertTrue(planes.getMessage().contains("input_channels must be 7"), planes.getMessage());
        }
    }

    private static double meanLoss(List<String> lines) {
        return lines.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[1])).average().orElseThrow();
    }
}
