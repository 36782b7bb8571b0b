package dev.lucid.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {

    @TempDir Path dir;

    @Test
    void variantMergesObjectsAndReplacesEverythingElse() throws IOException {
        Files.writeString(dir.resolve("base.yaml"), String.join("\n",
                "name: base",
                "seed: 3",
                "architecture: {type: nafunet, width: 16, encoder_blocks: [1, 1], middle_blocks: 1, decoder_blocks: [1, 1]}",
                "data:",
                "  clean: [{path: a, weight: 1}]",
                "  noise: [{recipe: 'gaussian:0-55'}, {recipe: camera}]",
                "  patch: 128",
                "schedule: {iterations: 1000, warmup: 10}"));
        Files.createDirectories(dir.resolve("study"));
        Path variant = Files.writeString(dir.resolve("study/variant.yaml"), String.join("\n",
                "base: ../base.yaml",
                "name: variant",
                "architecture: {type: resunet, widths: [16, 32, 64], encoder_blocks: [1, 1], decoder_blocks: [1, 1]}",
                "data: {noise: [{recipe: 'gaussian:25'}]}",
                "schedule: {iterations: 50}"));
        TrainConfig c = TrainConfig.read(variant);
        assertEquals("variant", c.name());
        assertEquals(3, c.seed());                                          // kept from the base
        assertEquals("resunet", c.architecture().get("type").asText());
        assertFalse(c.architecture().has("width"));                         // another type replaces the object...
        assertEquals(3, c.architecture().get("widths").size());
        assertEquals(128, c.patch());                                       // ...others merge key by key
        assertEquals(1, c.noise().size());                                  // lists are replaced whole
        assertEquals("gaussian:25", c.noise().get(0).recipe());
        assertEquals(Path.of("a"), c.clean().get(0).path());
        assertEquals(50, c.iterations());
        assertEquals(10, c.warmup());
        assertFalse(c.raw().has("base"));
    }

    @Test
    void baseErrorsNameTheFile() throws IOException {
        Path missing = Files.writeString(dir.resolve("missing.yaml"), "base: nowhere.yaml\nname: x\n");
        IOException e = assertThrows(IOException.class, () -> TrainConfig.read(missing));
        assertTrue(e.getMessage().contains("nowhere.yaml"), e.getMessage());
        Files.writeString(dir.resolve("a.yaml"), "base: b.yaml\n");
        Path b = Files.writeString(dir.resolve("b.yaml"), "base: a.yaml\n");
        e = assertThrows(IOException.class, () -> TrainConfig.read(b));
        assertTrue(e.getMessage().contains("loops"), e.getMessage());
    }

    @Test
    void everyConfigOfTheRepositoryParsesAndAMisspelledKeyIsNamed() throws IOException {
        int parsed = 0;
        try (var files = Files.walk(Path.of("../configs"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().contains("splits")).toList()) {
                if (f.getParent().getFileName().toString().equals("cameras")) {          // simulated cameras, not training configs
                    assertEquals(f.getFileName().toString(), dev.lucid.degrade.SimulatedCamera.read(f).name() + ".yaml");
                    continue;
                }
                assertTrue(TrainConfig.read(f).iterations() > 0, f.toString());
                parsed++;
            }
        }
        assertTrue(parsed >= 12, "configs parsed: " + parsed);
        Path typo = Files.writeString(dir.resolve("typo.yaml"), String.join("\n", "name: x", "architecture: {type: resunet}",
                "data: {clean: [{path: data, holdot: 2}], noise: [{recipe: 'gaussian:25'}]}", "schedule: {iterations: 5}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(typo));
        assertTrue(e.getMessage().startsWith(typo + ": unknown key \"holdot\" in data.clean (known: captions, holdout, path, weight)"), e.getMessage());
        Path top = Files.writeString(dir.resolve("top.yaml"), "name: x\narchitecture: {}\ndata: {clean: [{path: d}], noise: [{recipe: g}]}\nschedule: {iterations: 5}\nlearning_rate: 0.1\n");
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(top));
        assertTrue(e.getMessage().contains("unknown key \"learning_rate\" (known:"), e.getMessage());
    }
}
