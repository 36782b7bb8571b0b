package dev.lucid.cli;

import static dev.lucid.cli.DenoiseCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.cli.DenoiseCommandTest.Run;
import dev.lucid.degrade.Degradations;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.model.ModelCard;
import dev.lucid.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdaptCommandTest {

    @TempDir Path dir;
    Path model, photos;

    @BeforeEach
    void setUp() throws IOException {
        model = TestModels.tinyModel(dir.resolve("model"));
        photos = Files.createDirectories(dir.resolve("photos"));
        for (int i = 0; i < 3; i++) {
            ImageFiles.write(Degradations.parse("gaussian:25").applyTo(TestImages.scene(150 + 8 * i, 136), i), photos.resolve("p" + i + ".png"));
        }
    }

    private static JsonNode card(Path adapter) throws IOException {
        return ModelCard.json().readTree(adapter.resolve("adapter.json").toFile());
    }

    @Test
    void adaptsResumesAndDenoisesWithTheAdapter() throws IOException {
        Path adapter = dir.resolve("my-camera");
        Run r = run("adapt", photos.toString(), "--model", model.toString(), "--out", adapter.toString(), "--steps", "4", "--rank", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("adapter my-camera written to " + adapter + " after 4 steps"), r.err());
        assertTrue(r.err().contains("adapting " + model + " to 3 photos: noise sigma"), r.err());
        JsonNode card = card(adapter);
        assertEquals("tiny", card.get("base").asText());
        assertEquals(3, card.get("photos").asInt());
        assertEquals(4, card.get("steps").asInt());
        assertEquals(2, card.get("rank").asInt());
        assertEquals(1, card.get("pd_stride").asInt(), "pixel-independent noise: no pixel shuffle");
        assertTrue(Math.abs(card.get("noise").get("lag1").asDouble()) < 0.15, card.toString());
        long size = Files.size(adapter.resolve("adapter.safetensors"));
        assertTrue(size > 0 && size < 1_000_000, "an adapter is a small file: " + size);
        assertTrue(Files.size(adapter.resolve("checkpoint.safetensors")) < 4 * size + 10_000, "the checkpoint keeps adapters, not the base weights");

        Run again = run("adapt", photos.toString(), "--model", model.toString(), "--out", adapter.toString(), "--steps", "4", "--rank", "2");
        assertEquals(2, again.code());
        assertEquals(List.of("lucid: error: " + adapter + " already holds a checkpoint: add --resume to continue it, or choose another --name or --out"), again.errorLines());
        Run resumed = run("adapt", photos.toString(), "--model", model.toString(), "--out", adapter.toString(), "--steps", "6", "--rank", "2", "--resume", "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(6, card(adapter).get("steps").asInt());

        Path out = dir.resolve("out.png");
        Run denoised = run("denoise", photos.resolve("p0.png").toString(), "--model", model.toString(), "--adapter", adapter.toString(), "-o", out.toString());
        assertEquals(0, denoised.code(), denoised.err());
        assertTrue(Files.size(out) > 0);
        // the same through the model setting every front end takes
        Run spec = run("denoise", photos.resolve("p0.png").toString(), "--model", model + ":adapter=" + adapter, "-o", dir.resolve("out2.png").toString());
        assertEquals(0, spec.code(), spec.err());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(out), Files.readAllBytes(dir.resolve("out2.png"))));
    }

    @Test
    void namedAdaptersLiveInTheUsersHomeAndAreListed() throws IOException {
        String home = System.getProperty("user.home");
        System.setProperty("user.home", dir.toString());
        try {
            Run r = run("adapt", photos.toString(), "--model", model.toString(), "--name", "cam-1", "--steps", "2", "--rank", "2", "--threads", "1");
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.isRegularFile(dir.resolve(".lucid/adapters/cam-1/adapter.safetensors")));
            Run models = run("models");
            assertTrue(models.out().lines().anyMatch(l -> l.startsWith("cam-1") && l.contains("tiny") && l.contains("noise-bank") && l.contains("not in EXIF")), models.out());
            Run denoised = run("denoise", photos.resolve("p1.png").toString(), "--model", model.toString(), "--adapter", "cam-1", "-o", dir.resolve("o.png").toString());
            assertEquals(0, denoised.code(), denoised.err());
            Run unknown = run("denoise", photos.resolve("p1.png").toString(), "--model", model.toString(), "--adapter", "nope", "-o", dir.resolve("x.png").toString());
            assertEquals(2, unknown.code());
            assertEquals(List.of("lucid: error: no adapter 'nope': give a folder made by lucid adapt or one of: cam-1"), unknown.errorLines());
            assertFalse(Files.exists(dir.resolve("x.png")));
        } finally {
            System.setProperty("user.home", home);
        }
    }

    @Test
    void badInputGivesOneLine() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty")), small = Files.createDirectories(dir.resolve("small")),
                clean = Files.createDirectories(dir.resolve("clean"));
        ImageFiles.write(Degradations.parse("gaussian:25").applyTo(TestImages.scene(64, 64), 1), small.resolve("s.png"));
        ImageFiles.write(TestImages.scene(160, 140), clean.resolve("c.png"));
        String[][] cases = {
            {empty.toString(), "folder " + empty + " holds no images (png, jpg, tif, bmp, or raw dng, npy)"},
            {small.toString(), "no photo is at least 128x128 pixels, the size of one training patch"},
            {clean.toString(), "the photos show almost no noise (median estimate sigma = "},
            {dir.resolve("missing").toString(), "no such file or folder: " + dir.resolve("missing")},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("a-" + Path.of(c[0]).getFileName());
            Run r = run("adapt", c[0], "--model", model.toString(), "--out", out.toString(), "--steps", "2");
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertEquals(1, r.errorLines().size(), r.err());
            assertTrue(r.errorLines().get(0).startsWith("lucid: error: " + c[1]), r.errorLines().get(0));
            assertFalse(Files.exists(out.resolve("adapter.safetensors")), "nothing written");
        }
        // an adapter of another base model
        Path adapter = dir.resolve("for-tiny");
        assertEquals(0, run("adapt", photos.toString(), "--model", model.toString(), "--out", adapter.toString(), "--steps", "2", "--rank", "2").code());
        Path other = TestModels.tinyModel(dir.resolve("other"));
        ObjectNode otherCard = (ObjectNode) ModelCard.json().readTree(other.resolve("model.json").toFile());
        Files.write(other.resolve("model.json"), ModelCard.json().writeValueAsBytes(otherCard.put("name", "tiny-2")));
        Run wrong = run("denoise", photos.resolve("p0.png").toString(), "--model", other.toString(), "--adapter", adapter.toString(), "-o", dir.resolve("w.png").toString());
        assertEquals(2, wrong.code());
        assertEquals(List.of("lucid: error: cannot load model " + other + ": the adapter " + adapter + " was made for the model tiny, not tiny-2"),
                wrong.errorLines());
        Run both = run("adapt", photos.toString(), "--model", model.toString(), "--name", "a", "--out", adapter.toString());
        assertEquals(List.of("lucid: error: give --name or --out, not both"), both.errorLines());
        Run loss = run("adapt", photos.toString(), "--model", model.toString(), "--out", dir.resolve("l").toString(), "--loss", "noise2void");
        assertEquals(2, loss.code());
        assertEquals(List.of("lucid: error: adapt.loss must be noise-bank or neighbor2neighbor, got \"noise2void\""), loss.errorLines());
    }

    @Test
    void aNoiseBankAdapterLearnsFromPseudoCleanImagesAtTheStrideAndRestoresAtStrideOne() throws IOException {
        Path adapter = dir.resolve("bank");
        Run r = run("adapt", photos.resolve("p2.png").toString(), "--model", model.toString(), "--out", adapter.toString(), "--loss", "noise-bank", "--pd-stride", "2",
                "--steps", "3", "--rank", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains(" to 1 photo: noise sigma"), r.err());
        assertTrue(r.err().contains("so pseudo-clean images at pixel-shuffle stride 2 and the adapter at stride 1"), r.err());
        JsonNode card = card(adapter);
        assertEquals("noise-bank", card.get("loss").asText());
        assertEquals(2, card.get("pseudo_clean_stride").asInt());
        assertEquals(0.25, card.get("flat_share").asDouble(), 0, "at stride 2 only the flattest quarter of the blocks lends its residual");
        assertEquals(1, card.get("pd_stride").asInt(), "the adapted model restores whole images");
        Run denoised = run("denoise", photos.resolve("p0.png").toString(), "--model", model + ":adapter=" + adapter, "-o", dir.resolve("b.png").toString());
        assertEquals(0, denoised.code(), denoised.err());
    }
}
