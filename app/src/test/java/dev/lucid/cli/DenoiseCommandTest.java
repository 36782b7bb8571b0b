package dev.lucid.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.SharedData;
import dev.lucid.degrade.Degradations;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.metrics.Psnr;
import dev.lucid.model.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenoiseCommandTest {

    @TempDir Path dir;
    Path model;

    /** Exit code, stdout and stderr of one CLI run. */
    record Run(int code, String out, String err) {
        List<String> errorLines() { return err.lines().filter(l -> l.startsWith("lucid: error:")).toList(); }
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        model = TestModels.tinyModel(dir.resolve("model"));
    }

    @Test
    void denoisesAndKeepsFormatDepthAndChannels() throws IOException {
        Path rgb = dir.resolve("photo.png"), tiff16 = dir.resolve("scan.tif"), gray = dir.resolve("gray.png");
        ImageFiles.write(TestImages.scene(70, 50), rgb);
        ImageFiles.write(TestImages.random(40, 30, 3, false, 16, 1), tiff16);
        ImageFiles.write(TestImages.random(33, 21, 1, false, 8, 2), gray);
        byte[] before = Files.readAllBytes(rgb);
        Run r = run("denoise", rgb.toString(), tiff16.toString(), gray.toString(), "--model", model.toString(), "--tile", "32", "--overlap", "8");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(before, Files.readAllBytes(rgb), "the input is never modified");
        Image a = ImageFiles.read(dir.resolve("photo_denoised.png"));
        assertEquals(70, a.width());
        Image b = ImageFiles.read(dir.resolve("scan_denoised.tif"));
        assertEquals(16, b.bitDepth());
        Image c = ImageFiles.read(dir.resolve("gray_denoised.png"));
        assertEquals(1, c.channels());
        assertEquals(33, c.width());
    }

    @Test
    void outputOptionsAndBitDepth() throws IOException {
        Path in = dir.resolve("in.png");
        ImageFiles.write(TestImages.scene(20, 20), in);
        assertEquals(0, run("denoise", in.toString(), "-o", dir.resolve("out.tif").toString(), "--bit-depth", "16", "--model", model.toString()).code());
        assertEquals(16, ImageFiles.read(dir.resolve("out.tif")).bitDepth());
        assertEquals(0, run("denoise", in.toString(), "--out-dir", dir.resolve("new/sub").toString(), "--model", model.toString()).code());
        assertTrue(Files.exists(dir.resolve("new/sub/in.png")));
    }

    @Test
    void badInputsGiveOneLineEachAndTheBatchGoesOn() throws IOException {
        Path good1 = dir.resolve("a_good.png"), good2 = dir.resolve("z_good.jpg");
        ImageFiles.write(TestImages.scene(30, 20), good1);
        ImageFiles.write(TestImages.scene(30, 20), good2, 90);
        Path text = Files.writeString(dir.resolve("b_text.png"), "hello");
        Path empty = Files.createFile(dir.resolve("c_empty.jpg"));
        byte[] png = Files.readAllBytes(good1);
        Path cut = Files.write(dir.resolve("d_cut.png"), Arrays.copyOf(png, png.length / 2));
        byte[] jpg = Files.readAllBytes(good2);
        Path cutJpg = Files.write(dir.resolve("e_cut.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
        Path huge = Files.write(dir.resolve("f_huge.png"), hugePngHeader());
        Path missing = dir.resolve("g_missing.png");
        Path outDir = dir.resolve("out");
        Run r = run("denoise", good1.toString(), text.toString(), empty.toString(), cut.toString(), cutJpg.toString(),
                huge.toString(), missing.toString(), good2.toString(), "--out-dir", outDir.toString(), "--model", model.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertEquals(6, r.errorLines().size(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
        assertTrue(r.err().contains("6 of 8 images failed (2 written)"), r.err());
        assertTrue(Files.exists(outDir.resolve("a_good.png")) && Files.exists(outDir.resolve("z_good.jpg")));
        try (var files = Files.list(outDir)) {
            assertEquals(2, files.count(), "no partial or failed outputs");
        }
        String err = r.err();
        for (String expected : List.of("is not an image", "empty (0 bytes)", "d_cut.png is truncated", "e_cut.jpg is truncated",
                "100000x100000", "no such file")) {
            assertTrue(err.contains(expected), "missing '" + expected + "' in\n" + err);
        }
    }

    @Test
    void restoreRunsADenoiserForTheTaskAutoAndRefusesOtherTasks() throws IOException {
        // a single-task model: --task auto (the default) simply denoises, and writes IMG_restored.ext;
        // a named task other than denoise is a usage error before any image is read
        Path in = dir.resolve("rainy.png");
        ImageFiles.write(TestImages.scene(24, 20), in);
        Run auto = run("restore", in.toString(), "--model", model.toString());
        assertEquals(0, auto.code(), auto.err());
        assertEquals(ImageFiles.read(dir.resolve("rainy_restored.png")), run("denoise", in.toString(), "-o", dir.resolve("d.png").toString(),
                "--model", model.toString()).code() == 0 ? ImageFiles.read(dir.resolve("d.png")) : null, "auto on a denoiser = denoise");
        Run derain = run("restore", in.toString(), "--task", "derain", "--model", model.toString(), "-o", dir.resolve("x.png").toString());
        assertEquals(Main.EXIT_BAD_INPUT, derain.code());
        assertTrue(derain.err().contains("cannot use a task other than denoise: it only denoises"), derain.err());
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void restoreWithTheUniversalModelRemovesTheRainItReadsAndLeavesHazeToTheTaskGiven() throws IOException {
        // etdiffir reads both; it removes rain on its own reading, but haze only with --task dehaze (it reads some
        // clear, pale scenes as hazy, and dehazing one darkens it): the hazy photo is written unchanged, with the hint
        Image clean = ImageFiles.read(SharedData.path("data/cbsd68/101085.png"));
        Path rainy = dir.resolve("rainy.png"), hazy = dir.resolve("hazy.png");
        ImageFiles.write(Degradations.parse("rain:0.01").applyTo(clean, 1), rainy);
        ImageFiles.write(Degradations.parse("haze:1.2").applyTo(clean, 1), hazy);
        Run auto = run("restore", rainy.toString(), hazy.toString(), "--model", "etdiffir", "--out-dir", dir.resolve("auto").toString());
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.err().matches("(?s).*rainy\\.png: task derain \\(probability \\d\\.\\d\\d\\).*"), auto.err());
        assertTrue(auto.err().matches("(?s).*hazy\\.png: dehaze read \\(probability \\d\\.\\d\\d\\), which this model does not apply on its own: "
                + "give --task dehaze to apply it; written unchanged.*"), auto.err());
        assertEquals(ImageFiles.read(hazy), ImageFiles.read(dir.resolve("auto/hazy.png")), "haze read, not removed");
        assertFalse(ImageFiles.read(rainy).equals(ImageFiles.read(dir.resolve("auto/rainy.png"))), "rain read and removed");
        Run dehaze = run("restore", hazy.toString(), "--model", "etdiffir", "--task", "dehaze", "-o", dir.resolve("dehazed.png").toString());
        assertEquals(0, dehaze.code(), dehaze.err());
        double before = Psnr.of(clean.planes(), ImageFiles.read(hazy).planes(), 1), after = Psnr.of(clean.planes(), ImageFiles.read(dir.resolve("dehazed.png")).planes(), 1);
        assertTrue(after > before + 2, "--task dehaze removes it: " + before + " dB -> " + after);
    }

    @Test
    void aFullDiskFailsOneOutputAndTheBatchGoesOn() throws Exception {
        // A real write failure from the OS: the child JVM may write files of at most 256 KB (ulimit -f), so the large
        // output fails with EFBIG ("File too large", as a full disk fails with ENOSPC) and the small one is written.
        // The peer "noisy" copies its input, so no model or native library is needed in the child.
        Path big = dir.resolve("big.png"), small = dir.resolve("small.png"), out = dir.resolve("out");
        ImageFiles.write(TestImages.random(600, 400, 3, false, 16, 3), big);
        ImageFiles.write(TestImages.scene(20, 16), small);
        byte[] before = Files.readAllBytes(big);
        assertTrue(before.length > 512 * 1024, "the large output cannot fit: " + before.length);
        Child denoise = child("-f 256", List.of(), "denoise", big.toString(), small.toString(), "--model", "noisy", "--out-dir", out.toString());
        String output = denoise.output();
        assertEquals(Main.EXIT_BAD_INPUT, denoise.code(), output);
        assertTrue(output.contains("cannot write " + out.resolve("big.png") + ": ") && output.contains("(File too large)"), output);
        assertFalse(output.contains("Exception") || output.contains("\tat "), "no stack trace: " + output);
        try (var files = Files.list(out)) {
            assertEquals(List.of("small.png"), files.map(f -> f.getFileName().toString()).toList(), "no partial file, the batch went on");
        }
        assertArrayEquals(before, Files.readAllBytes(big), "the input is untouched");
    }

    @Test
    void aHeapTooSmallForTheImageIsOneLine() throws Exception {
        // The child JVM gets a 40 MB heap. Decoding a 3000 x 2000 photo (72 MB of float planes) fails for that photo
        // alone, and the batch goes on; a 6000 x 4000 test card (288 MB) fails the command. The peer "noisy" and synth
        // need no model or native library in the child.
        Path photo = dir.resolve("photo.png"), small = dir.resolve("small.png"), out = dir.resolve("out");
        ImageFiles.write(TestImages.random(3000, 2000, 3, false, 8, 5), photo);
        ImageFiles.write(TestImages.scene(20, 16), small);
        Child denoise = child(null, List.of("-Xmx40m"), "denoise", photo.toString(), small.toString(), "--model", "noisy", "--out-dir", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, denoise.code(), denoise.output());
        assertTrue(denoise.output().contains(photo + " is too large to decode in this Java heap (at most ")
                && denoise.output().contains("LUCID_JAVA_OPTS=-Xmx8g for lucid, spark.executor.memory on Spark"), denoise.output());
        try (var files = Files.list(out)) {
            assertEquals(List.of("small.png"), files.map(f -> f.getFileName().toString()).toList(), "the batch went on");
        }
        Child synth = child(null, List.of("-Xmx40m"), "synth", "--test-card", "6000x4000", "--noise", "gaussian:5", "-o", dir.resolve("card.png").toString());
        assertEquals(1, synth.code(), synth.output());
        assertTrue(synth.output().startsWith("lucid: error: out of memory (Java heap space, at most "), synth.output());
        for (Child c : List.of(denoise, synth)) {
            assertFalse(c.output().contains("Exception") || c.output().contains("\tat "), "no stack trace: " + c.output());
        }
    }

    private record Child(int code, String output) {}

    /**
     * lucid in a child JVM with {@code jvmOptions}, run through bash's {@code ulimit} first when {@code ulimit} is not null
     * (e.g. "-f 256": files of at most 256 KB).
     */
    private static Child child(String ulimit, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        if (ulimit != null) command.addAll(List.of("bash", "-c", "ulimit " + ulimit + " && exec \"$@\"", "bash"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:-UsePerfData", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "dev.lucid.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Child(p.exitValue(), output);
    }

    @Test
    void foldersExpandToTheirImages() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("shoot"));
        ImageFiles.write(TestImages.scene(20, 16), folder.resolve("b.png"));
        ImageFiles.write(TestImages.scene(20, 16), folder.resolve("a.jpg"), 90);
        Files.writeString(folder.resolve("notes.txt"), "not an image, not picked up");
        Path out = dir.resolve("out");
        Run r = run("denoise", folder.toString(), "--out-dir", out.toString(), "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("a.jpg")) && Files.exists(out.resolve("b.png")));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Run none = run("denoise", empty.toString(), "--model", model.toString());
        assertEquals(Main.EXIT_BAD_INPUT, none.code());
        assertTrue(none.err().contains("holds no images"), none.err());
    }

    @Test
    void verboseShowsTheCause() throws IOException {
        Path text = Files.writeString(dir.resolve("x.png"), "hello");
        Files.write(text, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        Run r = run("denoise", text.toString(), "--model", model.toString(), "--verbose");
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("\tat "), "stack trace with --verbose");
    }

    @Test
    void refusesToOverwriteTheInput() throws IOException {
        Path in = dir.resolve("same.png");
        ImageFiles.write(TestImages.scene(10, 10), in);
        byte[] before = Files.readAllBytes(in);
        Run r = run("denoise", in.toString(), "-o", in.toString(), "--model", model.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertEquals(1, r.errorLines().size());
        assertTrue(r.err().contains("never overwrites its input"), r.err());
        assertArrayEquals(before, Files.readAllBytes(in));
        Path viaDot = dir.resolve(".").resolve("same.png");
        assertEquals(Main.EXIT_BAD_INPUT, run("denoise", in.toString(), "-o", viaDot.toString(), "--model", model.toString()).code());
    }

    @Test
    void unusableOutputDirectory() throws IOException {
        Path in = dir.resolve("in.png");
        ImageFiles.write(TestImages.scene(10, 10), in);
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        Run r = run("denoise", in.toString(), "--out-dir", notADir.toString(), "--model", model.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertEquals(1, r.errorLines().size(), r.err());
        Run missingParent = run("denoise", in.toString(), "-o", dir.resolve("nowhere/out.png").toString(), "--model", model.toString());
        assertEquals(Main.EXIT_BAD_INPUT, missingParent.code());
        assertTrue(missingParent.err().contains("does not exist"), missingParent.err());
    }

    @Test
    void usageErrorsAndHelp() {
        Run missing = run("denoise");
        assertEquals(2, missing.code());
        assertEquals(List.of("lucid: error: Missing required parameter: 'IN' (see lucid denoise --help)"), missing.errorLines());
        Run strength = run("denoise", "a.png", "--strength", "0");
        assertEquals(2, strength.code());
        assertEquals(List.of("lucid: error: --strength must be in (0, 10], got 0.0 (see lucid denoise --help)"), strength.errorLines());
        assertEquals(2, run("denoise", "a.png", "b.png", "-o", "x.png").code());
        assertEquals(2, run("denoise", "a.png", "--tile", "64", "--overlap", "32").code());
        assertEquals(2, run("denoise", "a.png", "--model", "no-such-model").code());
        Run steps = run("denoise", "a.png", "--steps", "5");
        assertEquals(2, steps.code());
        assertEquals(List.of("lucid: error: model lucid-real has no setting \"sample_steps\" (settings: estimator_width, sigma_window, teacher_forcing, "
                + "estimator_loss, noise_level, strength)"), steps.errorLines());
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("denoise") && help.out().contains("models") && help.out().contains("train"));
        Run version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("lucid "));
    }

    @Test
    void guidanceAModelCannotUseIsRefusedBeforeAnyWork() throws IOException {
        Path in = dir.resolve("photo.png"), out = dir.resolve("out.png");
        ImageFiles.write(TestImages.scene(40, 30), in);
        Run prompt = run("denoise", in.toString(), "--model", model.toString(), "--prompt", "a dog on a sofa", "-o", out.toString());
        assertEquals(2, prompt.code());
        assertEquals(List.of("lucid: error: model tiny cannot use a text prompt: it has no text conditioning"), prompt.errorLines());
        Run level = run("denoise", in.toString(), "--model", model.toString(), "--noise-level", "25", "-o", out.toString());
        assertEquals(List.of("lucid: error: model tiny cannot use a noise level: it is a blind denoiser"), level.errorLines());
        Run map = run("denoise", in.toString(), "--model", model.toString(), "--noise-map", dir.resolve("map.png").toString(), "-o", out.toString());
        assertEquals(List.of("lucid: error: model tiny estimates no noise map (--noise-map needs a model with a noise estimator)"), map.errorLines());
        Path tsv = dir.resolve("captions.tsv");
        Files.writeString(tsv, "file\tcaption\nphoto.png\ta test card\n");
        assertEquals(2, run("denoise", in.toString(), "--model", model.toString(), "--prompts", tsv.toString(), "-o", out.toString()).code());
        assertFalse(Files.exists(out), "nothing written");
        for (String[] bad : new String[][] {{"--strength", "0"}, {"--strength", "-1"}, {"--strength", "10.5"}, {"--noise-level", "0"}, {"--noise-level", "300"}}) {
            Run r = run("denoise", in.toString(), "--model", model.toString(), bad[0], bad[1], "-o", out.toString());
            assertEquals(2, r.code(), String.join(" ", bad));
            assertTrue(r.err().contains(bad[0] + " must be in"), r.err());
        }
        Files.writeString(tsv, "name,caption\n");
        Run header = run("denoise", in.toString(), "--model", model.toString(), "--prompts", tsv.toString(), "-o", out.toString());
        assertEquals(List.of("lucid: error: " + tsv + ": a caption file starts with the header line file<TAB>caption"), header.errorLines());
    }

    @Test
    void verboseSaysWhenAnImageIsRestoredOnPixelShuffledSubImages() throws IOException {
        Path in = dir.resolve("phone.png"), out = dir.resolve("out.png");
        ImageFiles.write(TestImages.scene(40, 32), in);
        Run shuffled = run("denoise", in.toString(), "--model", model + ":pd_stride=2", "--verbose", "-o", out.toString());
        assertEquals(0, shuffled.code(), shuffled.err());
        assertTrue(shuffled.err().contains("phone.png: restored on its 2x2 pixel-shuffled sub-images (noise sigma "), shuffled.err());
        Run whole = run("denoise", in.toString(), "--model", model.toString(), "--verbose", "-o", out.toString());
        assertFalse(whole.err().contains("pixel-shuffled"), whole.err());
    }

    @Test
    void ensembleRunsTheModelOnFlippedCopiesAndRefusesOtherSizes() throws IOException {
        Path in = dir.resolve("scene.png"), out = dir.resolve("out.png"), viaSetting = dir.resolve("setting.png");
        ImageFiles.write(TestImages.scene(36, 28), in);
        Run flag = run("denoise", in.toString(), "--model", model.toString(), "--ensemble", "2", "-o", out.toString());
        assertEquals(0, flag.code(), flag.err());
        assertEquals(0, run("denoise", in.toString(), "--model", model + ":ensemble=2", "-o", viaSetting.toString()).code());
        assertEquals(ImageFiles.read(viaSetting), ImageFiles.read(out), "--ensemble is the model's ensemble setting");
        Run bad = run("denoise", in.toString(), "--model", model.toString(), "--ensemble", "3", "-o", dir.resolve("bad.png").toString());
        assertEquals(2, bad.code());
        assertEquals(List.of("lucid: error: ensemble must be 1, 2, 4 or 8, got \"3\""), bad.errorLines());
    }

    @Test
    void metadataRoundTripsThroughJpegPngAndTiffOutputs() throws Exception {
        // A camera JPEG written by exiftool itself: IFD0 camera tags, an EXIF sub-IFD (date, exposure), a GPS sub-IFD,
        // XMP and an ICC profile (Java's sRGB profile), orientation 6. Every output format keeps them, as exiftool
        // reads them back; the orientation is reset to 1 because the pixels were turned.
        String exiftool = "/usr/bin/exiftool";
        assertTrue(Files.isExecutable(Path.of(exiftool)), "this test reads metadata with Debian's exiftool (.ci/run installs libimage-exiftool-perl)");
        Path in = dir.resolve("camera.jpg"), icc = Files.write(dir.resolve("profile.icc"),
                java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData());
        ImageFiles.write(TestImages.scene(64, 48), in, 95);
        exec(exiftool, "-overwrite_original", "-Make=Lucid Camera Co", "-Model=LC-1", "-DateTimeOriginal=2026:11:30 10:20:30", "-ExposureTime=1/250",
                "-GPSLatitude=47.5", "-GPSLatitudeRef=N", "-GPSLongitude=8.25", "-GPSLongitudeRef=E", "-XMP-dc:Title=Harbour at dusk",
                "-Orientation#=6", "-ICC_Profile<=" + icc, in.toString());
        // then the PNG and the TIFF outputs as inputs in turn: their metadata goes on to every format
        for (String name : new String[] {"out.jpg", "out.png", "out.tif", "again.jpg", "again.png", "again.tif", "fromtiff.jpg", "fromtiff.png", "fromtiff.tif"}) {
            Path out = dir.resolve(name), source = name.startsWith("again") ? dir.resolve("out.png") : name.startsWith("fromtiff") ? dir.resolve("out.tif") : in;
            Run r = run("denoise", source.toString(), "--model", model.toString(), "-o", out.toString());
            assertEquals(0, r.code(), r.err());
            List<String> tags = exec(exiftool, "-s3", "-Make", "-Model", "-DateTimeOriginal", "-ExposureTime", "-GPSLatitude", "-Title", "-Orientation",
                    "-ImageWidth", "-ImageHeight", out.toString()).lines().toList();
            assertEquals(List.of("Lucid Camera Co", "LC-1", "2026:11:30 10:20:30", "1/250", "47 deg 30' 0.00\" N", "Harbour at dusk", "Horizontal (normal)", "48", "64"),
                    tags, name + " as exiftool reads it");
            Process p = new ProcessBuilder(exiftool, "-b", "-ICC_Profile", out.toString()).start();
            byte[] profile = p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
            assertArrayEquals(Files.readAllBytes(icc), profile, name + ": the ICC profile byte for byte");
        }
    }

    private static String exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    static byte[] hugePngHeader() {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 2).put(new byte[3]);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(33).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }
}
