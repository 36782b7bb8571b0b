package dev.lucid.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.Lucid;
import dev.lucid.image.Image;
import dev.lucid.image.TestImages;
import dev.lucid.image.Tiler;
import dev.lucid.method.Restorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkRestorerTest {

    @TempDir Path dir;

    @Test
    void oneRestorerServesSeveralThreadsAtOnce() throws Exception {
        Path model = TestModels.tinyModel(dir.resolve("shared"));
        try (Restorer r = Lucid.load(model.toString(), new Tiler.Settings(32, 8, 1))) {
            java.util.List<Image> inputs = new java.util.ArrayList<>();
            java.util.List<Image> alone = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                inputs.add(TestImages.random(40 + i, 36, 3, false, 8, 20 + i));
                alone.add(r.restore(inputs.get(i)));
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<Image>> together = new java.util.ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (Image in : inputs) together.add(pool.submit(() -> r.restore(in)));
                }
                for (int k = 0; k < together.size(); k++) assertEquals(alone.get(k % 8), together.get(k).get(), "image " + k % 8);
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void aPixelShuffleStrideRestoresEachSubImageAndPutsThemBackWithOneLowBand() throws Exception {
        Path model = TestModels.tinyModel(dir.resolve("pd"));
        Image image = dev.lucid.image.TestImages.random(37, 30, 3, true, 8, 5);
        try (Restorer plain = Lucid.load(model.toString()); Restorer shuffled = Lucid.load(model + ":pd_stride=2")) {
            java.util.List<Image> parts = new java.util.ArrayList<>();
            for (Image part : dev.lucid.image.PixelShuffle.split(image, 2)) parts.add(plain.restore(part));
            Image expected = dev.lucid.image.PixelShuffle.mergeRestored(parts, 2, image);
            assertEquals(expected, shuffled.restore(image));
            assertFalse(expected.equals(plain.restore(image)), "a stride changes what the network sees");
        }
        // a card may make a stride its default; an explicit setting still wins
        java.nio.file.Path card = model.resolve("model.json");
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) ModelCard.json().readTree(card.toFile());
        java.nio.file.Files.write(card, ModelCard.json().writeValueAsBytes(tree.put("pd_stride", "2")));
        try (Restorer byCard = Lucid.load(model.toString()); Restorer off = Lucid.load(model + ":pd_stride=1"); Restorer plain = Lucid.load(model + ":pd_stride=1")) {
            java.util.List<Image> parts = new java.util.ArrayList<>();
            for (Image part : dev.lucid.image.PixelShuffle.split(image, 2)) parts.add(plain.restore(part));
            assertEquals(dev.lucid.image.PixelShuffle.mergeRestored(parts, 2, image),
                    byCard.restore(image));
            assertFalse(off.restore(image).equals(byCard.restore(image)));
        }
        for (String bad : new String[] {"0", "5", "two"}) {
            IOException e = assertThrows(IOException.class, () -> Lucid.load(model + ":pd_stride=" + bad));
            assertTrue(e.getMessage().startsWith("pd_stride must be"), e.getMessage());
        }
    }

    @Test
    void anEnsembleAveragesTheRestorationsOfTheFlippedAndTurnedImages() throws Exception {
        Path model = TestModels.tinyModel(dir.resolve("ensemble"));
        Image image = TestImages.random(21, 14, 3, true, 16, 9);
        try (Restorer plain = Lucid.load(model.toString()); Restorer four = Lucid.load(model + ":ensemble=4"); Restorer eight = Lucid.load(model + ":ensemble=8")) {
            for (int size : new int[] {4, 8}) {
                float[][] mean = new float[3][21 * 14];
                for (int k = 0; k < size; k++) {
                    Image back = dev.lucid.image.Dihedral.invert(plain.restore(dev.lucid.image.Dihedral.apply(image, k)), k);
                    for (int c = 0; c < 3; c++) for (int i = 0; i < mean[c].length; i++) mean[c][i] += back.plane(c)[i] / size;
                }
                Image out = (size == 4 ? four : eight).restore(image);
                for (int c = 0; c < 3; c++) assertArrayEquals(mean[c], out.plane(c), 1e-6f, size + " copies, channel " + c);
                assertArrayEquals(image.alpha(), out.alpha(), 0f, "alpha passes through");
                assertEquals(16, out.bitDepth());
            }
            assertFalse(plain.restore(image).equals(eight.restore(image)), "an untrained network is not symmetric, so the ensemble changes its output");
        }
        for (String bad : new String[] {"3", "16", "all"}) {
            IOException e = assertThrows(IOException.class, () -> Lucid.load(model + ":ensemble=" + bad));
            assertEquals("ensemble must be 1, 2, 4 or 8, got \"" + bad + "\"", e.getMessage());
        }
    }

    @Test
    void eachPassOfTheTilerIsNamedAfterTheCopyAndTheSubImageItRestores() throws Exception {
        Path model = TestModels.tinyModel(dir.resolve("stages"));
        java.util.List<String> stages = new java.util.ArrayList<>();
        dev.lucid.Progress recorder = new dev.lucid.Progress() {
            @Override public void begin(String stage, long total) { stages.add(stage); }
            @Override public void advance(long units) {}
        };
        try (Restorer r = Lucid.load(model + ":ensemble=2,pd_stride=2")) {
            r.restore(TestImages.random(20, 16, 3, false, 8, 3), dev.lucid.method.Guidance.none(), recorder);
        }
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int copy = 1; copy <= 2; copy++) {
            for (int sub = 1; sub <= 4; sub++) expected.add("tiles, sub-image " + sub + " of 4, copy " + copy + " of 2");
        }
        assertEquals(expected, stages);
        stages.clear();
        try (Restorer r = Lucid.load(model.toString())) {
            r.restore(TestImages.random(20, 16, 3, false, 8, 3), dev.lucid.method.Guidance.none(), recorder);
        }
        assertEquals(java.util.List.of("tiles"), stages, "one pass: the stage as the tiler names it");
    }

    @Test
    void keepsSizeDepthChannelsAndAlpha() throws IOException {
        Path model = TestModels.tinyModel(dir.resolve("m"));
        try (Restorer r = Lucid.load(model.toString(), new Tiler.Settings(32, 8, 2))) {
            Image rgba16 = TestImages.random(45, 37, 3, true, 16, 1);
            Image out = r.restore(rgba16);
            assertEquals(45, out.width());
            assertEquals(37, out.height());
            assertEquals(16, out.bitDepth());
            assertArrayEquals(rgba16.alpha(), out.alpha(), 0f);
            Image gray = TestImages.random(20, 30, 1, false, 8, 2);
            Image grayOut = r.restore(gray);
            assertEquals(1, grayOut.channels());
            for (float v : grayOut.plane(0)) assertTrue(v >= 0f && v <= 1f);
            assertEquals("untrained", r.card().tree().get("status").asText());
        }
    }

    @Test
    void tilingDoesNotChangeTheResultMuch() throws IOException {
        Path model = TestModels.tinyModel(dir.resolve("m"));
        Image img = TestImages.scene(96, 80);
        Image whole, tiled;
        try (Restorer r = Lucid.load(model.toString(), new Tiler.Settings(128, 0, 1))) { whole = r.restore(img); }
        try (Restorer r = Lucid.load(model.toString(), new Tiler.Settings(48, 12, 3))) { tiled = r.restore(img); }
        double sum = 0;
        for (int c = 0; c < 3; c++) for (int i = 0; i < img.pixels(); i++) sum += Math.abs(whole.plane(c)[i] - tiled.plane(c)[i]);
        assertTrue(sum / (3 * img.pixels()) < 0.01, "mean difference " + sum / (3 * img.pixels()));
    }

    @Test
    void loadErrorsNameTheProblem() throws IOException {
        IOException none = assertThrows(IOException.class, () -> Lucid.load("no-such-model"));
        assertTrue(none.getMessage().contains("no model named 'no-such-model'"), none.getMessage());
        IOException settings = assertThrows(IOException.class, () -> Lucid.load("lucid-real-v1:sample_steps=5"));
        assertTrue(settings.getMessage().contains("lucid-real-v1 has no setting \"sample_steps\" (it takes none)"), settings.getMessage());
        IOException named = assertThrows(IOException.class, () -> Lucid.load("lucid-real:sample_steps=5"));
        assertTrue(named.getMessage().contains("lucid-real has no setting \"sample_steps\" (settings: estimator_width, sigma_window,"), named.getMessage());
        Path model = TestModels.tinyModel(dir.resolve("m"));
        Files.writeString(model.resolve("model.json"), Files.readString(model.resolve("model.json")).replace("\"width\" : 4", "\"width\" : 6"));
        IOException shapes = assertThrows(IOException.class, () -> Lucid.load(model.toString()));
        assertTrue(shapes.getMessage().contains("has shape"), shapes.getMessage());
    }

    @Test
    void brokenModelFilesGiveOneLineNamingTheFileAndTheKey() throws IOException {
        // truncated, bit-damaged or hand-edited weights; a card with a missing or misspelled key or broken JSON
        Path good = TestModels.tinyModel(dir.resolve("good"));
        byte[] weights = Files.readAllBytes(good.resolve("weights.safetensors"));
        String card = Files.readString(good.resolve("model.json"));
        expectLoadError(copy(good, "cut"), "weights.safetensors", java.util.Arrays.copyOf(weights, weights.length - 100), null,
                "weights.safetensors is truncated: tensor ");
        expectLoadError(copy(good, "tiny"), "weights.safetensors", java.util.Arrays.copyOf(weights, 5), null, "not even a safetensors header");
        byte[] header = weights.clone();
        header[0] = (byte) 0xff;
        header[5] = 0x7f;                                                   // a header length larger than the file
        expectLoadError(copy(good, "length"), "weights.safetensors", header, null, "truncated or not a safetensors file");
        byte[] json = weights.clone();
        json[9] = '#';                                                      // inside the JSON header
        expectLoadError(copy(good, "json"), "weights.safetensors", json, null, "damaged safetensors header");
        expectLoadError(copy(good, "missing"), "model.json", null, card.replace("\"architecture\"", "\"architektur\""),
                "model.json: the field \"architecture\" is missing");
        expectLoadError(copy(good, "typo"), "model.json", null, card.replace("\"middle_blocks\"", "\"midle_blocks\""),
                "model.json: architecture lacks \"middle_blocks\"");
        expectLoadError(copy(good, "broken"), "model.json", null, card.substring(0, card.length() / 2), "model.json is not valid JSON");
    }

    private Path copy(Path model, String name) throws IOException {
        Path to = Files.createDirectories(dir.resolve(name));
        for (String f : new String[] {"model.json", "weights.safetensors"}) Files.copy(model.resolve(f), to.resolve(f));
        return to;
    }

    private static void expectLoadError(Path model, String file, byte[] bytes, String text, String expected) throws IOException {
        if (bytes != null) Files.write(model.resolve(file), bytes);
        if (text != null) Files.writeString(model.resolve(file), text);
        IOException e = assertThrows(IOException.class, () -> Lucid.load(model.toString()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(model.toString()), "names the model: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
