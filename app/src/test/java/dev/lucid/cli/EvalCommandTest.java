package dev.lucid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

    @TempDir Path dir;

    @Test
    void noisyPeerScoresTheNoiseLevelOnSyntheticData() throws IOException {
        Path clean = Files.createDirectories(dir.resolve("clean"));
        for (int i = 0; i < 3; i++) ImageFiles.write(midGray(96, 80, i), clean.resolve("c" + i + ".png"));
        Path json = dir.resolve("r.json"), csv = dir.resolve("r.csv"), plot = dir.resolve("p.png"), crops = dir.resolve("c.png");
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("eval", "--model", "noisy", "--data", clean.toString(), "--noise", "gaussian:25",
                "--limit", "2", "--json", json.toString(), "--csv", csv.toString(), "--plot", plot.toString(), "--crops", crops.toString(),
                "--crop-size", "40");
        assertEquals(0, r.code(), r.err());
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertEquals("noisy", result.get("model").asText());
        assertEquals(2, result.get("images").size());
        // mid-grey 16-bit images (no clipping at 3σ), so the rounded noisy output has PSNR = 10 log10(255² / 25²) = 20.17 dB
        assertEquals(20.17, result.get("mean_psnr").asDouble(), 0.1);
        for (String field : new String[] {"mean_ssim", "megapixels_per_second"}) assertTrue(result.has(field), field);
        assertEquals(25.0, result.get("images").get(0).get("sigma").asDouble());
        assertEquals("given", result.get("images").get(0).get("sigma_source").asText());
        assertEquals(3, Files.readAllLines(csv).size());
        assertTrue(Files.size(plot) > 1000);
        java.awt.image.BufferedImage strip = javax.imageio.ImageIO.read(crops.toFile());
        assertEquals(3 * 80, strip.getWidth(), "clean, noisy and one model, each 40 px at 2x");
        String printed = String.format(java.util.Locale.ROOT, "%.2f", result.get("mean_psnr").asDouble());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("noisy") && l.contains(printed)), r.out());
    }

    /** Random 16-bit samples in [0.35, 0.65]. */
    static dev.lucid.image.Image midGray(int w, int h, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[][] planes = new float[3][w * h];
        for (float[] p : planes) for (int i = 0; i < p.length; i++) p[i] = Math.round((0.35 + 0.3 * rng.nextDouble()) * 65535) / 65535f;
        return new dev.lucid.image.Image(w, h, planes, null, 16, dev.lucid.image.Image.Encoding.SRGB, "memory");
    }

    @Test
    void pairsAreMatchedByNameOrPolyuNaming() throws IOException {
        Path noisy = Files.createDirectories(dir.resolve("noisy")), gt = Files.createDirectories(dir.resolve("gt"));
        ImageFiles.write(TestImages.random(32, 32, 3, false, 8, 1), noisy.resolve("a.png"));
        ImageFiles.write(TestImages.random(32, 32, 3, false, 8, 1), gt.resolve("a.png"));
        Path json = dir.resolve("pairs.json");
        assertEquals(0, DenoiseCommandTest.run("eval", "--model", "noisy", "--pairs", noisy.toString(), gt.toString(), "--json", json.toString()).code());
        assertTrue(new ObjectMapper().readTree(json.toFile()).get("mean_psnr").isNull(), "identical pair: PSNR is infinite, written as null");
        Path polyu = Files.createDirectories(dir.resolve("polyu"));
        ImageFiles.write(TestImages.random(32, 32, 3, false, 8, 2), polyu.resolve("Cam_scene_1_real.JPG.png"));
        ImageFiles.write(TestImages.random(32, 32, 3, false, 8, 3), polyu.resolve("Cam_scene_1_mean.JPG.png"));
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("eval", "--model", "noisy", "--pairs", polyu.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1 images"), r.out());
        DenoiseCommandTest.Run missing = DenoiseCommandTest.run("eval", "--model", "noisy", "--pairs", noisy.toString(), dir.resolve("none").toString());
        assertEquals(Main.EXIT_BAD_INPUT, missing.code());
        assertEquals(1, missing.errorLines().size(), missing.err());
        Path captions = Files.writeString(dir.resolve("captions.tsv"), "file\tcaption\na.png\ta gray card\n");
        Path strip = dir.resolve("strip.png");
        DenoiseCommandTest.Run withCaptions = DenoiseCommandTest.run("eval", "--model", "noisy", "--data", gt.toString(), "--noise", "gaussian:25",
                "--captions", captions.toString(), "--crops", strip.toString());
        assertEquals(Main.EXIT_BAD_INPUT, withCaptions.code(), withCaptions.err());
        assertEquals(List.of("lucid: error: --crops cannot be written with --captions; run without --captions for it"), withCaptions.errorLines());
        assertFalse(Files.exists(strip));
    }

    @Test
    void captionModesWritePerImageRowsAndPlotLinesForEachMode() throws IOException {
        Path clean = Files.createDirectories(dir.resolve("clean"));
        for (int i = 0; i < 2; i++) ImageFiles.write(TestImages.scene(64, 48 + 8 * i), clean.resolve("c" + i + ".png"));
        Path captions = Files.writeString(dir.resolve("captions.tsv"), "file\tcaption\nc0.png\ta red barn\nc1.png\ta blue lake\n");
        Path json = dir.resolve("modes.json"), csv = dir.resolve("modes.csv"), plot = dir.resolve("modes.png");
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("eval", "--model", "etdiffir:task=denoise,noisy", "--data", clean.toString(),
                "--noise", "gaussian:50", "--captions", captions.toString(), "--caption-mode", "given,none", "--json", json.toString(),
                "--csv", csv.toString(), "--plot", plot.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("model,captions,set,name,psnr,ssim,lpips,seconds", lines.get(0));
        // etdiffir reads captions: two images under each mode; the noisy peer does not: its one run, written once
        assertEquals(1 + 2 * 2 + 2, lines.size(), String.join("\n", lines));
        JsonNode results = new ObjectMapper().readTree(json.toFile()).get("results");
        for (String mode : new String[] {"given", "none"}) {
            JsonNode images = results.get(0).get("caption_modes").get(mode).get("images");
            for (int i = 0; i < 2; i++) {
                String row = lines.stream().filter(l -> l.startsWith("etdiffir:task=denoise," + mode + ",")).toList().get(i);
                assertEquals(images.get(i).get("psnr").asDouble(), Double.parseDouble(row.split(",")[4]), 1e-4, row);
            }
        }
        assertEquals(2, lines.stream().filter(l -> l.startsWith("noisy,ignored,")).count(), String.join("\n", lines));
        assertTrue(Files.size(plot) > 1000);
    }

    @Test
    void perceptualMetricsWhenWeightsAreGivenAndANoteOtherwise() throws Exception {
        Path clean = Files.createDirectories(dir.resolve("clean"));
        for (int i = 0; i < 3; i++) ImageFiles.write(midGray(72, 64, i), clean.resolve("c" + i + ".png"));
        Path alexnet = dir.resolve("alexnet.safetensors");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(); var out = Files.newOutputStream(alexnet)) {
            dev.lucid.metrics.LpipsFidTest.formulaAlexNet(m).encode(out, ai.djl.ndarray.NDList.Encoding.SAFETENSORS);
        }
        Path fid = dir.resolve("fid_extractor.pt");
        try (var in = dev.lucid.metrics.LpipsFidTest.class.getResourceAsStream("fid_extractor.pt")) {
            Files.copy(in, fid);
        }
        Path with = dir.resolve("with.json"), without = dir.resolve("without.json");
        assertEquals(0, DenoiseCommandTest.run("eval", "--model", "noisy", "--data", clean.toString(), "--noise", "gaussian:25",
                "--lpips-backbone", alexnet.toString(), "--fid-model", fid.toString(), "--json", with.toString()).code());
        JsonNode w = new ObjectMapper().readTree(with.toFile());
        assertTrue(w.get("mean_lpips").asDouble() > 0 && w.get("fid").asDouble() >= 0, w.toString());
        assertTrue(w.get("images").get(0).get("lpips").isNumber());
        // the caption comparison measures them too, in every mode
        Path captions = Files.writeString(dir.resolve("captions.tsv"), "file\tcaption\nc0.png\ta gray card\nc1.png\ta gray card\nc2.png\ta gray wall\n");
        Path byMode = dir.resolve("modes.json");
        DenoiseCommandTest.Run modes = DenoiseCommandTest.run("eval", "--model", "noisy", "--data", clean.toString(), "--noise", "gaussian:25",
                "--captions", captions.toString(), "--caption-mode", "given,none", "--lpips-backbone", alexnet.toString(), "--fid-model", fid.toString(),
                "--json", byMode.toString());
        assertEquals(0, modes.code(), modes.err());
        JsonNode given = new ObjectMapper().readTree(byMode.toFile()).get("results").get(0).get("caption_modes").get("given");
        assertEquals(w.get("mean_lpips").asDouble(), given.get("mean_lpips").asDouble(), 1e-9, given.toString());
        assertEquals(w.get("fid").asDouble(), given.get("fid").asDouble(), 1e-9, given.toString());
        assertFalse(modes.out().contains("LPIPS not computed"), modes.out());
        DenoiseCommandTest.Run r = DenoiseCommandTest.run("eval", "--model", "noisy", "--data", clean.toString(), "--noise", "gaussian:25", "--json", without.toString());
        JsonNode wo = new ObjectMapper().readTree(without.toFile());
        assertTrue(wo.get("mean_lpips").isNull() && wo.get("lpips_note").asText().contains("not available offline"), wo.toString());
        assertTrue(r.out().contains("LPIPS not computed") && r.out().contains("FID not computed"), r.out());
    }

    @Test
    void synthAndMetricsRoundTrip() throws IOException {
        Path out = dir.resolve("card.png"), clean = dir.resolve("clean.png");
        DenoiseCommandTest.Run s = DenoiseCommandTest.run("synth", "--test-card", "200x150", "--noise", "gaussian:15", "--seed", "3",
                "--bit-depth", "16", "-o", out.toString(), "--clean-output", clean.toString());
        assertEquals(0, s.code(), s.err());
        DenoiseCommandTest.Run m = DenoiseCommandTest.run("metrics", clean.toString(), out.toString());
        assertEquals(0, m.code(), m.err());
        double psnr = Double.parseDouble(m.out().lines().findFirst().orElseThrow().split(" ")[1]);
        // σ = 15 with clipping at the card's saturated whites: a little above 10 log10(255² / 15²) = 24.61 dB
        assertTrue(psnr > 24.4 && psnr < 25.5, "PSNR " + psnr);
        assertEquals(2, DenoiseCommandTest.run("synth", "--test-card", "20x20", "--noise", "blur:3", "-o", out.toString()).code());
    }

    @Test
    void synthWritesAJpegInputAsPngInAFolder() throws Exception {
        Path photo = dir.resolve("photo.JPG"), folder = dir.resolve("noisy");
        ImageFiles.write(TestImages.scene(64, 48), dir.resolve("photo.png"));
        javax.imageio.ImageIO.write(javax.imageio.ImageIO.read(dir.resolve("photo.png").toFile()), "jpg", photo.toFile());
        DenoiseCommandTest.Run s = DenoiseCommandTest.run("synth", photo.toString(), "--noise", "gaussian:25", "--seed", "1", "--out-dir", folder.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(Files.exists(folder.resolve("photo.png")) && !Files.exists(folder.resolve("photo.JPG")), List.of(folder.toFile().list()).toString());
        // the noise is kept whole: σ = 25 in 8 bit, 10 log10(255² / 25²) = 20.17 dB against the JPEG it was added to
        DenoiseCommandTest.Run m = DenoiseCommandTest.run("metrics", photo.toString(), folder.resolve("photo.png").toString());
        assertEquals(0, m.code(), m.err());
        double psnr = Double.parseDouble(m.out().lines().findFirst().orElseThrow().split(" ")[1]);
        assertTrue(psnr > 19.5 && psnr < 21.5, "PSNR " + psnr);
        assertEquals("a.b.png", SynthCommand.losslessName("a.b.jpeg"));
        assertEquals("x.tif", SynthCommand.losslessName("x.tif"));
        assertEquals("y.png", SynthCommand.losslessName("y.bmp"));
        assertEquals("z.png", SynthCommand.losslessName("z"));
    }

    @Test
    void synthWritesARawCaptureAsDng() throws Exception {
        Path clean = dir.resolve("clean.png"), dng = dir.resolve("noisy.dng");
        dev.lucid.image.ImageFiles.write(dev.lucid.image.TestImages.scene(65, 48), clean);
        DenoiseCommandTest.Run s = DenoiseCommandTest.run("synth", clean.toString(), "--noise", "raw-lowlight:0.1,0.01", "--seed", "3", "-o", dng.toString());
        assertEquals(0, s.code(), s.err());
        dev.lucid.image.Image raw = dev.lucid.image.Dng.read(dng);
        assertEquals(32, raw.width(), "odd sides lose a column, then pack by 2");
        assertEquals(24, raw.height());
        assertEquals(4, raw.channels());
        assertTrue(java.util.List.of("RGGB", "BGGR", "GRBG", "GBRG").contains(raw.raw().cfaPattern()));
        // shot 0.1 and read 0.01 on values in [0, 1]: noise of σ ≥ 0.1 everywhere, so dark samples go below black
        double below = 0;
        for (int p = 0; p < 4; p++) for (float v : raw.plane(p)) if (v < 0) below++;
        assertTrue(below > 0, "negative read noise is kept below the black level");
        Process info = new ProcessBuilder("/usr/bin/dcraw", "-i", "-v", dng.toString()).redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes());
        assertEquals(0, info.waitFor(), text);
        assertTrue(text.matches("(?s).*Image size: +64 x 48.*"), text);
        DenoiseCommandTest.Run wrong = DenoiseCommandTest.run("synth", clean.toString(), "--noise", "gaussian:25", "-o", dir.resolve("x.dng").toString());
        assertEquals(2, wrong.code());
        assertEquals(java.util.List.of("lucid: error: a DNG output is a raw capture: give --noise raw-lowlight, raw-lowlight:SHOT,READ or raw-camera:FILE.yaml, not gaussian:25"),
                wrong.errorLines());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("x.dng")));
    }
}
