package dev.lucid.method.etdiffir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lucid.Lucid;
import dev.lucid.Progress;
import dev.lucid.degrade.Degradations;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.method.TaskReading;
import dev.lucid.nn.Parameters;
import dev.lucid.method.Methods;
import dev.lucid.metrics.Psnr;
import dev.lucid.train.TrainConfig;
import dev.lucid.train.Trainer;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtDiffIrMethodTest {

    @TempDir Path dir;

    static final String ERUNET = "{type: erunet, channels: 3, width: 16, multipliers: [1, 2], encoder_blocks: [1, 1], decoder_blocks: [1, 1], "
            + "middle_blocks: 1, kernel: 7, expansion: 2, heads: 1, context_dim: 16}";

    /** A tiny universal model trained on three tasks and clean images, in {@code dir/run/model}; its data in {@code dir/data}. */
    private Path trainTinyUniversalModel() throws Exception { return trainTinyUniversalModel(""); }

    /** The same, with {@code methodSettings} (", key: value" pairs) added to its method's settings. */
    private Path trainTinyUniversalModel(String methodSettings) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        StringBuilder captions = new StringBuilder("file\tcaption\n");
        for (int i = 0; i < 3; i++) {
            ImageFiles.write(TestImages.scene(48, 40), data.resolve("s" + i + ".png"));
            captions.append("s").append(i).append(".png\ta test scene number ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("captions.tsv"), captions);
        TrainConfig config = TrainConfig.parse(YAML.readTree(String.join("\n", "name: tiny-etdiffir", "seed: 4",
                "method: {type: etdiffir, steps: 10, sample_steps: 2, tasks: [denoise, derain, dehaze, none], task: auto, sampling_share: 0.5, caption_noise: 0.04" + methodSettings + "}", "architecture: " + ERUNET,
                "data: {clean: [{path: '" + data + "', captions: '" + dir.resolve("captions.tsv") + "'}], caption_dropout: 0.5, "
                        + "noise: [{recipe: 'gaussian:50'}, {recipe: 'rain:0.02'}, {recipe: 'haze:1'}, {recipe: none}], patch: 32, batch: 4}",
                "optimizer: {lr: 0.001}", "schedule: {iterations: 30, warmup: 3}", "checkpoint_every: 30", "validation: {every: 1000}")));
        try (Trainer t = new Trainer(config, dir.resolve("run"), s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
        return dir.resolve("run/model");
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A denoise expert of {@code rank} on {@code base}, 4 iterations on the tiny model's data, with {@code lines} added. */
    private TrainConfig denoiseExpert(Path base, int rank, String... lines) throws Exception {
        return TrainConfig.parse(YAML.readTree(String.join("\n", "name: tiny-etdiffir-denoise", "seed: 5",
                "adapt: {base: '" + base + "', rank: " + rank + "}",
                "data: {clean: [{path: '" + dir.resolve("data") + "', captions: '" + dir.resolve("captions.tsv") + "'}], noise: [{recipe: 'gaussian:50'}], patch: 32, batch: 2}",
                "schedule: {iterations: 4}", "checkpoint_every: 4", "validation: {every: 1000}", String.join("\n", lines))));
    }

    @Test
    void trainsOnThreeTasksAndRestoresWithEveryKindOfGuidance() throws Exception {
        trainTinyUniversalModel();
        Image clean = TestImages.scene(40, 36), rainy = Degradations.parse("rain:0.02").applyTo(clean, 1);
        try (Restorer r = Lucid.load(dir.resolve("run/model").toString())) {
            assertEquals(Set.of(Guidance.Kind.TEXT, Guidance.Kind.TASK, Guidance.Kind.STEPS, Guidance.Kind.SEED), r.accepts());
            Guidance derain = Guidance.none().withTask("derain").withSeed(1L);
            Image once = r.restore(rainy, derain);
            assertEquals(40, once.width());
            assertEquals(36, once.height());
            assertEquals(once, r.restore(rainy, derain), "the same seed gives the same image");
            assertFalse(once.equals(r.restore(rainy, derain.withSeed(2L))), "another seed, another sample");
            assertFalse(once.equals(r.restore(rainy, derain.withText("a test scene"))), "the caption reaches the network");
            assertFalse(once.equals(r.restore(rainy, derain.withTask("dehaze"))), "the task reaches the network");
            assertEquals(40, r.restore(rainy, derain.withSteps(10)).width(), "T steps: the Euler-Maruyama sampler");
            Guidance.UnsupportedGuidanceException unknown = assertThrows(Guidance.UnsupportedGuidanceException.class,
                    () -> r.restore(rainy, Guidance.none().withTask("deblur")));
            assertTrue(unknown.getMessage().contains("unknown task \"deblur\": this model restores denoise, derain, dehaze, none"), unknown.getMessage());
            assertEquals(rainy, r.restore(rainy, Guidance.none().withTask("none")), "task none: the image comes back unchanged");
            assertThrows(Guidance.UnsupportedGuidanceException.class, () -> r.restore(rainy, Guidance.none().withSteps(11)));
            TaskReading reading = r.readTask(rainy).orElseThrow();
            assertEquals(Set.of("denoise", "derain", "dehaze", "none"), reading.probabilities().keySet());
            assertEquals(1.0, reading.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
            assertEquals(r.restore(rainy, Guidance.none().withTask(reading.task())), r.restore(rainy, Guidance.none()),
                    "no task given: the task read from the whole image, the same for every tile");
            assertEquals(r.readTask(rainy), r.readTask(rainy));
            assertTrue(r.readTask(TestImages.scene(9, 7)).isPresent(), "an image smaller than one crop is read whole");
            assertTrue(r.promptWarning("a test scene").isEmpty());
            assertEquals(java.util.Optional.of("the prompt has 402 tokens and the sentence encoder reads 128: the rest is cut"),
                    r.promptWarning("scene ".repeat(400)));
        }
        try (Restorer derainer = Lucid.load(dir.resolve("run/model") + ":task=derain"); Restorer r = Lucid.load(dir.resolve("run/model").toString())) {
            assertEquals(r.restore(rainy, Guidance.none().withTask("derain")), derainer.restore(rainy), "the task setting is the task when none is given");
        }
    }

    @Test
    void anOwnTaskReaderTrainsAloneAndLeavesTheRestorerBitForBit() throws Exception {
        Path base = trainTinyUniversalModel();
        // the reader learns, from the base's data, weak noise labelled "none" (a task a recipe's own would not give)
        TrainConfig config = TrainConfig.parse(YAML.readTree(String.join("\n", "name: tiny-etdiffir", "seed: 6",
                "method: {type: etdiffir, steps: 10, sample_steps: 2, tasks: [denoise, derain, dehaze, none], task: auto, task_reader: own}",
                "architecture: " + ERUNET, "init: '" + base.resolve("weights.safetensors") + "'", "trainable: [degradation.reader]",
                "data: {clean: [{path: '" + dir.resolve("data") + "'}], noise: [{recipe: 'gaussian:50'}, {recipe: 'rain:0.02'}, {recipe: 'gaussian:2', task: none}], patch: 32, batch: 4}",
                "optimizer: {lr: 0.003}", "schedule: {iterations: 200, warmup: 10}", "checkpoint_every: 200", "validation: {every: 1000}")));
        Path reader = dir.resolve("reader");
        try (Trainer t = new Trainer(config, reader, s -> { })) {
            assertTrue(t.parameterCount() > 0);
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            java.util.Map<String, ai.djl.ndarray.NDArray> before = new java.util.HashMap<>(), after = new java.util.HashMap<>();
            dev.lucid.model.ModelFiles.open(base.toString()).decodeWeights(m).forEach(a -> before.put(a.getName(), a));
            dev.lucid.model.ModelFiles.open(reader.resolve("model").toString()).decodeWeights(m).forEach(a -> after.put(a.getName(), a));
            for (java.util.Map.Entry<String, ai.djl.ndarray.NDArray> e : after.entrySet()) {
                if (e.getKey().startsWith("degradation.reader.")) continue;
                assertEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " is not the reader's, so it must not move");
            }
            assertTrue(after.keySet().stream().anyMatch(n -> n.startsWith("degradation.reader.conv.")), after.keySet().toString());
            assertFalse(after.containsKey("degradation.classify.weight"), "the shared trunk's task layer is the reader's now");
        }
        Image clean = TestImages.scene(40, 36), rainy = Degradations.parse("rain:0.02").applyTo(clean, 1);
        try (Restorer shipped = Lucid.load(base.toString()); Restorer taught = Lucid.load(reader.resolve("model").toString())) {
            Guidance derain = Guidance.none().withTask("derain").withSeed(1L);
            assertEquals(shipped.restore(rainy, derain), taught.restore(rainy, derain), "the task given, the restorer is the same");
            assertEquals("none", taught.readTask(Degradations.parse("gaussian:2").applyTo(clean, 3)).orElseThrow().task(), "weak noise read as taught");
        }
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.parse(YAML.readTree(String.join("\n", "name: x", "architecture: " + ERUNET,
                "trainable: [degradation.reader]", "data: {clean: [{path: x}], noise: [{recipe: none}]}", "schedule: {iterations: 1}"))), "trainable without init");
    }

    @Test
    void aTaskExpertLeavesTheDegradationReaderAloneAndRestoresItsTaskOnly() throws Exception {
        Path base = trainTinyUniversalModel();
        Path run = dir.resolve("expert");
        try (Trainer t = new Trainer(denoiseExpert(base, 2, "optimizer: {lr: 0.01}"), run, s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            java.util.List<String> names = dev.lucid.model.AdapterFiles.open(run.toString()).decodeWeights(m).stream().map(a -> a.getName()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("tifb.")) && names.stream().noneMatch(n -> n.startsWith("degradation.")),
                    "the fusion block takes an adapter, the degradation encoder none: " + names);
        }
        // an expert trained further from its own adapter (init:, a fresh schedule) starts where it ended: at a learning
        // rate too small to move it (the schedule's floor, 1e-6, moves each weight by about that per step; a fresh
        // lora_down differs by about 0.1), the continued run's adapter is the first one's
        String init = "init: '" + run.resolve("adapter.safetensors") + "'";
        Path more = dir.resolve("expert-more");
        try (Trainer t = new Trainer(denoiseExpert(base, 2, "optimizer: {lr: 1.0e-12}", init), more, s -> { })) {
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.ndarray.NDList first = dev.lucid.model.AdapterFiles.open(run.toString()).decodeWeights(m);
            ai.djl.ndarray.NDList continued = dev.lucid.model.AdapterFiles.open(more.toString()).decodeWeights(m);
            assertEquals(first.size(), continued.size());
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).getName(), continued.get(i).getName());
                assertTrue(first.get(i).sub(continued.get(i)).abs().max().getFloat() < 1e-4f, first.get(i).getName() + " starts from init:");
            }
            assertTrue(first.stream().anyMatch(a -> a.getName().endsWith("lora_up") && a.abs().max().getFloat() > 0), "the first run's adapters are trained, not fresh");
        }
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(denoiseExpert(base, 3, "optimizer: {lr: 0.01}", init), dir.resolve("expert-rank3"), s -> { }));
        assertTrue(rank.getMessage().startsWith("init: " + run.resolve("adapter.safetensors") + " holds 0 of the ")
                && rank.getMessage().endsWith("adapter tensors of rank 3 for " + base + ": not an adapter of this run"), rank.getMessage());
        // shipped beside the model: experts/TASK/ and the card's list; the same adapter serves as a second task's expert,
        // so that two experts are built side by side (one text encoder, the base weights decoded once)
        Path model = Files.createDirectories(dir.resolve("model/experts/denoise")).getParent().getParent();
        Files.copy(base.resolve("weights.safetensors"), model.resolve("weights.safetensors"));
        for (String task : java.util.List.of("denoise", "dehaze")) {
            Files.createDirectories(model.resolve("experts/" + task));
            Files.copy(run.resolve("adapter.json"), model.resolve("experts/" + task + "/adapter.json"));
            Files.copy(run.resolve("adapter.safetensors"), model.resolve("experts/" + task + "/adapter.safetensors"));
        }
        com.fasterxml.jackson.databind.node.ObjectNode card = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(base.resolve("model.json").toFile());
        card.putArray("experts").add("denoise").add("dehaze");
        Files.writeString(model.resolve("model.json"), card.toString());
        Image clean = TestImages.scene(40, 36), noisy = Degradations.parse("gaussian:50").applyTo(clean, 1);
        Guidance denoise = Guidance.none().withTask("denoise").withSeed(1L), derain = denoise.withTask("derain"), dehaze = denoise.withTask("dehaze");
        try (Restorer withExperts = Lucid.load(model.toString()); Restorer shared = Lucid.load(model + ":experts=off");
             Restorer folded = Lucid.load(model + ":adapter=" + run)) {
            assertEquals(folded.restore(noisy, denoise), withExperts.restore(noisy, denoise), "task denoise: the shared weights with the expert folded in");
            assertFalse(shared.restore(noisy, denoise).equals(withExperts.restore(noisy, denoise)), "the expert changes its task's restoration");
            assertEquals(folded.restore(noisy, dehaze), withExperts.restore(noisy, dehaze), "the second expert restores its own task");
            assertEquals(shared.restore(noisy, derain), withExperts.restore(noisy, derain), "a task without an expert: the shared weights alone");
            assertEquals(shared.readTask(noisy), withExperts.readTask(noisy), "the task is read by the same encoder");
        }
        java.io.IOException setting = assertThrows(java.io.IOException.class, () -> Lucid.load(model + ":experts=maybe"));
        assertEquals("experts must be on or off, got \"maybe\"", setting.getMessage());
        Files.delete(model.resolve("experts/denoise/adapter.safetensors"));
        java.io.IOException missing = assertThrows(java.io.IOException.class, () -> Lucid.load(model.toString()));
        assertTrue(missing.getMessage().contains("experts/denoise has no adapter.safetensors"), missing.getMessage());
    }

    @Test
    void putsDaClipsDegradationEmbeddingInThePromptWhenTheModelNamesOne() throws Exception {
        Path daclip = dev.lucid.nn.clip.DaClipEmbeddingTest.writeCheckpoint(Files.createDirectories(dir.resolve("daclip")));
        Path model = trainTinyUniversalModel(", degradation_embedding: 'daclip:" + daclip + "'");
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray token = dev.lucid.model.ModelFiles.open(model.toString()).decodeWeights(m).stream()
                    .filter(a -> a.getName().equals("tifb.degradation_token.weight")).findFirst().orElseThrow();
            assertEquals(new ai.djl.ndarray.types.Shape(16, 32 + 4), token.getShape(), "DA-CLIP's 32-d embedding and 4 task probabilities in, not our encoder's 64 features");
        }
        Image clean = TestImages.scene(40, 36), noisy = Degradations.parse("gaussian:50").applyTo(clean, 1);
        try (Restorer r = Lucid.load(model.toString())) {
            Image restored = r.restore(noisy, Guidance.none().withTask("denoise").withSeed(1L));
            assertEquals(clean.width(), restored.width());
            assertFalse(restored.equals(noisy), "restored");
        }
        Files.move(daclip, dir.resolve("daclip/moved.safetensors"));
        Exception missing = assertThrows(Exception.class, () -> Lucid.load(model.toString()));
        assertTrue(missing.getMessage().contains("cannot read the DA-CLIP weights of degradation_embedding \"daclip:" + daclip + "\""), missing.getMessage());
    }

    @Test
    void refusesConfigurationsItCannotRun() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            IllegalArgumentException auto = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: etdiffir, tasks: [denoise, auto]}\narchitecture: " + ERUNET)));
            assertTrue(auto.getMessage().contains("\"auto\" cannot be a task name"), auto.getMessage());
            IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: etdiffir, steps: 10, sample_steps: 20}\narchitecture: " + ERUNET)));
            assertTrue(steps.getMessage().contains("sample_steps must be in [1, 10]"), steps.getMessage());
            IllegalArgumentException arch = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: etdiffir}\narchitecture: {type: resunet}")));
            assertTrue(arch.getMessage().contains("needs architecture type erunet"), arch.getMessage());
            IllegalArgumentException encoder = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: etdiffir, text_encoder: bert}\narchitecture: " + ERUNET)));
            assertTrue(encoder.getMessage().contains("text_encoder must be sentence or clip:PATH"), encoder.getMessage());
            IllegalArgumentException automatic = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: etdiffir, auto_tasks: denoise+deblur}\narchitecture: " + ERUNET)));
            assertEquals("auto_tasks must be tasks of [denoise, derain, dehaze] joined by +, got \"denoise+deblur\"", automatic.getMessage());
            IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: etdiffir, task: deblur}\narchitecture: " + ERUNET)));
            assertTrue(task.getMessage().contains("task must be auto or one of [denoise, derain, dehaze]"), task.getMessage());
            IllegalArgumentException share = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: etdiffir, sampling_share: 1.5}\narchitecture: " + ERUNET)));
            assertEquals("sampling_share must be in [0, 1], got 1.5", share.getMessage());
            IllegalArgumentException jitter = assertThrows(IllegalArgumentException.class,
                    () -> Methods.build(p, YAML.readTree("method: {type: etdiffir, caption_noise: -0.1}\narchitecture: " + ERUNET)));
            assertEquals("caption_noise must be at least 0, got -0.1", jitter.getMessage());
        }
    }

    @Test
    void theShippedModelReadsEachDegradationAndRemovesIt() throws Exception {
        // the shipped universal model on a CBSD68 photo it never trained on: --task auto names each degradation and
        // restoring gains over the degraded input by more than the bars below (the bench's averages:
        // models/etdiffir/README.md)
        Image clean = ImageFiles.read(dev.lucid.SharedData.path("data/cbsd68/101085.png"));
        try (Restorer r = Lucid.load("etdiffir")) {
            // a clean photo: "none" returns it unchanged; a wrong reading may restore it, but must not harm it (this one
            // comes back at 40.60 dB, as lucid eval --noise none gives)
            Image unchanged = r.restore(clean, Guidance.none(), Progress.NONE);
            if (r.readTask(clean).orElseThrow().task().equals("none")) assertEquals(clean, unchanged);
            else assertTrue(Psnr.of(clean.planes(), unchanged.planes(), 1) > 33, "a clean image harmed");
            record Case(String recipe, String task, double gain) {}
            for (Case c : new Case[] {new Case("gaussian:50", "denoise", 5), new Case("rain:0.01", "derain", 3), new Case("haze:1.2", "dehaze", 2)}) {
                Image degraded = Degradations.parse(c.recipe()).applyTo(clean, 1);
                TaskReading reading = r.readTask(degraded).orElseThrow();
                assertEquals(c.task(), reading.task(), c.recipe());
                // haze is not removed on the model's own reading (it reads some clear, pale scenes as hazy): --task dehaze
                boolean automatic = !c.task().equals("dehaze");
                assertEquals(automatic ? c.task() : "none", reading.applied(), c.recipe());
                if (!automatic) assertEquals(degraded, r.restore(degraded, Guidance.none(), Progress.NONE), "haze read: the image comes back unchanged");
                Guidance given = automatic ? Guidance.none() : Guidance.none().withTask(c.task());
                double before = Psnr.of(clean.planes(), degraded.planes(), 1), after = Psnr.of(clean.planes(), r.restore(degraded, given, Progress.NONE).planes(), 1);
                assertTrue(after > before + c.gain(), c.recipe() + ": " + before + " dB -> " + after);
            }
        }
    }
}
