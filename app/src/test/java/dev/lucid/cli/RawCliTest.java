package dev.lucid.cli;

import static dev.lucid.cli.DenoiseCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.method.Methods;
import dev.lucid.model.ModelCard;
import dev.lucid.model.ModelFiles;
import dev.lucid.nn.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw camera data through the CLI: DNG in, DNG or rendered sRGB out, and the raw inputs refused in one line. */
class RawCliTest {

    @TempDir Path dir;

    /** An untrained tiny raw model (method tellme without text), saved as a model directory. */
    private Path rawModel() throws Exception {
        ObjectNode card = ModelCard.json().createObjectNode();
        card.put("name", "tiny-raw").put("status", "untrained");
        card.putObject("method").put("type", "tellme").put("text_encoder", "none").put("steps", 20).put("sample_start", 10).put("sample_steps", 2);
        ObjectNode arch = card.putObject("architecture").put("type", "cond_unet").put("channels", 4).put("condition_channels", 4).put("width", 8);
        arch.putArray("multipliers").add(1).add(2);
        Path model = dir.resolve("tiny-raw");
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 3)) {
            Methods.build(p, card);
            ModelFiles.save(model, new ModelCard(card), p.toNDList());
        }
        return model;
    }

    @Test
    void aDngIsDenoisedToADngOrARenderingAndBadRawInputGetsOneLine() throws Exception {
        Path model = rawModel(), clean = dir.resolve("scene.png"), dng = dir.resolve("noisy.dng");
        ImageFiles.write(TestImages.scene(48, 40), clean);
        assertEquals(0, run("synth", clean.toString(), "--noise", "raw-lowlight:0.18", "--seed", "2", "-o", dng.toString()).code());

        Path rawOut = dir.resolve("out.dng"), pngOut = dir.resolve("out.png");
        DenoiseCommandTest.Run toDng = run("denoise", dng.toString(), "--model", model.toString(), "-o", rawOut.toString());
        assertEquals(0, toDng.code(), toDng.err());
        Image back = ImageFiles.read(rawOut);
        assertEquals(4, back.channels(), "a DNG output holds the denoised mosaic");
        assertEquals(ImageFiles.read(dng).raw().cfaPattern(), back.raw().cfaPattern(), "with the input's sensor metadata");
        assertEquals(0, run("denoise", dng.toString(), "--model", model.toString(), "-o", pngOut.toString()).code());
        Image rendered = ImageFiles.read(pngOut);
        assertEquals(3, rendered.channels());
        assertEquals(48, rendered.width(), "rendered at the mosaic's size");
        assertEquals(16, rendered.bitDepth());
        Path viaSrgb = dir.resolve("srgb-route.png");
        assertEquals(0, run("denoise", dng.toString(), "-o", viaSrgb.toString()).code(), "an sRGB model renders the raw first");
        assertEquals(48, ImageFiles.read(viaSrgb).width());

        byte[] bytes = Files.readAllBytes(dng);
        Path truncated = Files.write(dir.resolve("cut.dng"), java.util.Arrays.copyOf(bytes, bytes.length - 200));
        Path out = dir.resolve("never.png");
        DenoiseCommandTest.Run cut = run("denoise", truncated.toString(), "--model", model.toString(), "-o", out.toString());
        assertEquals(2, cut.code());
        assertEquals(1, cut.errorLines().size(), cut.err());
        assertTrue(cut.errorLines().get(0).contains("cut.dng is truncated"), cut.err());
        byte[] compressed = bytes.clone();
        int entry = 8 + 2 + 12 * 4;                       // tag 259 (Compression) is the fourth entry of IFD0, value at +8
        assertEquals(259, (compressed[entry] & 0xff) | (compressed[entry + 1] & 0xff) << 8);
        compressed[entry + 8] = 7;
        Path ljpeg = Files.write(dir.resolve("ljpeg.dng"), compressed);
        DenoiseCommandTest.Run lossless = run("denoise", ljpeg.toString(), "--model", model.toString(), "-o", out.toString());
        assertEquals(List.of("lucid: error: " + ljpeg + ": its raw image is compressed (lossless JPEG); only uncompressed DNGs are read"), lossless.errorLines());
        Path rgbTiff = dir.resolve("rgb.tif");
        ImageFiles.write(TestImages.random(32, 32, 3, false, 16, 1), rgbTiff);
        DenoiseCommandTest.Run rgb = run("denoise", rgbTiff.toString(), "--model", model.toString(), "-o", out.toString());
        assertEquals(2, rgb.code());
        assertEquals(List.of("lucid: error: " + rgbTiff + ": model tiny-raw denoises raw camera data: give a DNG (or a CFA TIFF), not a 3-channel srgb image"),
                rgb.errorLines());
        DenoiseCommandTest.Run camera = run("denoise", dng.toString(), "--model", model.toString(), "--camera", "phone", "-o", out.toString());
        assertEquals(List.of("lucid: error: model tiny-raw has no camera \"phone\" (it has no camera adapters)"), camera.errorLines());
        DenoiseCommandTest.Run srgbToDng = run("denoise", clean.toString(), "-o", dir.resolve("x.dng").toString());
        assertEquals(2, srgbToDng.code());
        assertTrue(srgbToDng.errorLines().get(0).contains("a DNG output holds a raw image"), srgbToDng.err());
        assertFalse(Files.exists(out), "nothing written");
        assertFalse(Files.exists(dir.resolve("x.dng")), "nothing written");
    }

    @Test
    void aCaptionFileWithoutAnImagesNameGetsOneLineAndNoResults() throws Exception {
        Path model = rawModel(), clean = Files.createDirectories(dir.resolve("clean"));
        ImageFiles.write(TestImages.scene(48, 40), clean.resolve("a.png"));
        ImageFiles.write(TestImages.scene(40, 48), clean.resolve("b.png"));
        Path captions = Files.writeString(dir.resolve("captions.tsv"), "file\tcaption\na.png\ta dark street\n");
        Path json = dir.resolve("results.json");
        DenoiseCommandTest.Run eval = run("eval", "--data", clean.toString(), "--noise", "raw-lowlight:0.18", "--captions", captions.toString(),
                "--model", model.toString(), "--json", json.toString());
        assertEquals(2, eval.code(), eval.err());
        assertEquals(List.of("lucid: error: " + captions + " has no caption for b.png"), eval.errorLines());
        assertFalse(Files.exists(json), "nothing written");
    }
}
