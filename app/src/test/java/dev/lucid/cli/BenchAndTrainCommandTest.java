package dev.lucid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.SharedData;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchAndTrainCommandTest {

    @TempDir Path dir;

    @Test
    void benchRunsTheSuiteAndWritesMarkdownJsonAndPlot() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data/clean"));
        for (int i = 0; i < 3; i++) ImageFiles.write(TestImages.scene(48, 40), data.resolve("c" + i + ".png"));
        Path pairs = Files.createDirectories(dir.resolve("data/pairs"));
        Files.createDirectories(pairs.resolve("noisy"));
        Files.createDirectories(pairs.resolve("gt"));
        ImageFiles.write(TestImages.random(32, 32, 3, false, 8, 1), pairs.resolve("noisy/a.png"));
        ImageFiles.write(TestImages.random(32, 32, 3, false, 8, 2), pairs.resolve("gt/a.png"));
        Path suite = Files.writeString(dir.resolve("suite.yaml"), String.join("\n",
                "data_root: " + dir.resolve("data"),
                "peers: [noisy]",
                "synthetic: [{name: Tiny, clean: clean, sigmas: [15, 25], recipes: ['poisson:2']}]",
                "real: [{name: Pairs, noisy: pairs/noisy, clean: pairs/gt}]",
                "speed: [64x48]",
                "speed_noise: 'gaussian:50'",
                "quick: {limit: 1, sigmas: [25], sets: [Tiny], speed: [32x32]}"));
        Path model = TestModels.tinyModel(dir.resolve("model"));
        Path out = dir.resolve("bench");
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("bench", "--suite", suite.toString(), "--out", out.toString(), "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("RESULTS.md"));
        assertTrue(md.contains("| Tiny σ=15 | 3 |") && md.contains("| Tiny poisson:2 | 3 |") && md.contains("| Pairs | 1 |") && md.contains("## Speed"), md);
        assertTrue(md.contains("test card with `gaussian:50`"), "the suite's speed_noise is the speed image's degradation");
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("gaussian:50", json.get("speed_noise").asText());
        assertEquals(8, json.get("results").size(), "2 models x (3 synthetic + 1 real) sets");
        assertTrue(json.get("machine").get("cores").asInt() > 0 && json.has("versions") && json.has("date"));
        assertTrue(Files.exists(out.resolve("psnr-vs-sigma.png")));
        DenoiseCommandTest.Run quick = DenoiseCommandTest.run("bench", "--quick", "--suite", suite.toString(), "--out", out.toString(), "--model", model.toString());
        assertEquals(0, quick.code(), quick.err());
        assertEquals(2, new ObjectMapper().readTree(out.resolve("results-quick.json").toFile()).get("results").size());
        assertEquals(Main.EXIT_BAD_INPUT, DenoiseCommandTest.run("bench", "--suite", dir.resolve("none.yaml").toString()).code());
        Path misspelled = Files.writeString(dir.resolve("misspelled.yaml"), Files.readString(suite).replace("gaussian:50", "gausian:50"));
        DenoiseCommandTest.Run bad = DenoiseCommandTest.run("bench", "--suite", misspelled.toString(), "--out", out.toString(), "--model", model.toString());
        assertEquals(Main.EXIT_BAD_INPUT, bad.code(), bad.err());
        assertTrue(bad.err().contains("gausian") && !bad.err().contains("at dev.lucid"), bad.err());
        DenoiseCommandTest.Run cards = DenoiseCommandTest.run("bench", "--update-cards", "--from", out.resolve("results.json").toString());
        assertEquals(0, cards.code(), cards.err());
        JsonNode eval = new ObjectMapper().readTree(model.resolve("model.json").toFile()).get("eval");
        assertEquals(4, eval.get("results").size(), "the model's 4 sets");
        assertTrue(eval.get("source").asText().startsWith("lucid bench") && eval.get("speed").size() == 1);
    }

    @Test
    void aSetWithCaptionsRunsEachCaptionMode() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data/clean"));
        StringBuilder tsv = new StringBuilder("file\tcaption\n");
        for (int i = 0; i < 3; i++) {
            ImageFiles.write(TestImages.scene(40 + i, 32), data.resolve("c" + i + ".png"));
            tsv.append("c").append(i).append(".png\tscene ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("data/captions.tsv"), tsv);
        Path suite = Files.writeString(dir.resolve("suite.yaml"), String.join("\n",
                "data_root: " + dir.resolve("data"), "peers: [noisy]",
                "synthetic: [{name: Tiny, clean: clean, sigmas: [25], captions: captions.tsv, caption_modes: [given, none]}]", "speed: []"));
        Path out = dir.resolve("bench");
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("bench", "--suite", suite.toString(), "--out", out.toString(), "--model", TestModels.tinyModel(dir.resolve("model")).toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("RESULTS.md"));
        assertTrue(md.contains("| Tiny σ=25 · captions given | 3 |") && md.contains("| Tiny σ=25 · captions none | 3 |") && md.contains("## Captions"), md);
        JsonNode paired = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("caption_differences");
        assertEquals(2, paired.size(), "given - none for the model and the peer");
        assertTrue(paired.get(0).get("model_ignores_captions").asBoolean() && paired.get(0).get("mean_db").asDouble() == 0.0, paired.toString());
    }

    @Test
    void aModelThatReadsItsTaskIsRunAgainWithTheTaskGiven() throws IOException {
        // the shipped universal model reads haze but removes it only when told (auto_tasks), so on a hazy photo the
        // row with the task given, as task controls are measured, must be far above the row where it reads the task
        Path data = Files.createDirectories(dir.resolve("data/clean"));
        Files.copy(SharedData.path("data/cbsd68/101085.png"), data.resolve("101085.png"));
        Path suite = Files.writeString(dir.resolve("suite.yaml"), String.join("\n",
                "data_root: " + dir.resolve("data"), "peers: [noisy]",
                "synthetic: [{name: One, clean: clean, recipes: ['haze:1.2', 'none']}]", "speed: []", "task_given: true"));
        Path out = dir.resolve("bench");
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("bench", "--suite", suite.toString(), "--out", out.toString(), "--model", "etdiffir");
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("RESULTS.md"));
        assertTrue(md.matches("(?s).*\\| One haze:1\\.2 · task given \\| 1 \\| \\d+\\.\\d\\d / 0\\.\\d{4} \\| – \\|.*"), md);
        assertFalse(md.contains("One none · task given"), "a clean set has no task to give");
        assertFalse(md.contains("· task given: "), "no peer ran on the task-given row, so no line against the best peer: " + md);
        double read = Double.NaN, given = Double.NaN;
        for (JsonNode row : new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("results")) {
            if (!row.get("model").asText().equals("etdiffir")) continue;
            if (row.get("set").asText().equals("One haze:1.2")) read = row.get("mean_psnr").asDouble();
            if (row.get("set").asText().equals("One haze:1.2 · task given")) given = row.get("mean_psnr").asDouble();
        }
        assertTrue(given > read + 2, "dehazed only when the task is given: read " + read + " dB, given " + given);
    }

    @Test
    void variantRowsGoIntoTheirModelsCard() throws IOException {
        Path model = TestModels.tinyModel(dir.resolve("model"));
        String variant = model + ":sample_steps=2,sampling=origin";
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode results = json.createObjectNode().put("date", "today").put("quick", false);
        results.putArray("lucid_models").add(model.toString()).add(variant);
        results.putArray("results").add(json.createObjectNode().put("model", model.toString()).put("set", "S").put("mean_psnr", 30.0).put("mean_ssim", 0.9))
                .add(json.createObjectNode().put("model", variant).put("set", "S").put("mean_psnr", 31.0).put("mean_ssim", 0.91))
                .add(json.createObjectNode().put("model", "cdncnn-b").put("set", "S").put("mean_psnr", 29.0).put("mean_ssim", 0.8));
        results.putArray("speed").add(json.createObjectNode().put("model", variant).put("size", "8x8").put("seconds", 1.0));
        Path file = Files.write(dir.resolve("results.json"), json.writeValueAsBytes(results));
        DenoiseCommandTest.Run cards = DenoiseCommandTest.run("bench", "--update-cards", "--from", file.toString());
        assertEquals(0, cards.code(), cards.err());
        JsonNode eval = json.readTree(model.resolve("model.json").toFile()).get("eval");
        assertEquals(2, eval.get("results").size(), "the model's row and its variant's, not the peer's");
        assertTrue(!eval.get("results").get(0).has("settings"));
        assertEquals("sample_steps=2,sampling=origin", eval.get("results").get(1).get("settings").asText());
        assertEquals(31.0, eval.get("results").get(1).get("psnr").asDouble());
        assertEquals(1, eval.get("speed").size());
    }

    @Test
    void trainErrorsAreOneLine() throws IOException {
        DenoiseCommandTest.Run missing = DenoiseCommandTest.run("train", dir.resolve("nope.yaml").toString());
        assertEquals(Main.EXIT_BAD_INPUT, missing.code());
        assertEquals(1, missing.errorLines().size(), missing.err());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: x\narchitecture: {type: nafunet}\n");
        DenoiseCommandTest.Run invalid = DenoiseCommandTest.run("train", bad.toString(), "--run-dir", dir.resolve("run").toString());
        assertEquals(Main.EXIT_BAD_INPUT, invalid.code());
        assertTrue(invalid.err().contains("lacks"), invalid.err());
        Path notYaml = Files.writeString(dir.resolve("broken.yaml"), "name: [unclosed\n");
        assertEquals(Main.EXIT_BAD_INPUT, DenoiseCommandTest.run("train", notYaml.toString()).code());
    }
}
