package dev.lucid.cli;

import dev.lucid.ErrorMessages;
import dev.lucid.Lucid;
import dev.lucid.ModelSpec;
import dev.lucid.bench.Peers;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.Tiler;
import dev.lucid.method.Guidance;
import dev.lucid.method.Restorer;
import dev.lucid.text.Captions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "denoise", mixinStandardHelpOptions = true,
        description = {"Denoise images.",
                "The input is never modified; each output is written to a temporary file and renamed, so an",
                "interrupted run leaves no half-written file.",
                "Without -o or --out-dir, IMG.ext is written beside the input as IMG_denoised.ext."})
class DenoiseCommand implements Callable<Integer> {

    @Mixin Main.Common common;

    @Parameters(arity = "1..*", paramLabel = "IN", description = "Input images (PNG, JPEG, TIFF, BMP; 8 or 16 bit), or folders of them.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file (one input only); .png, .tif or .jpg.")
    Path output;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Directory for outputs (created if missing); names are kept.")
    Path outDir;

    @Option(names = "--model", paramLabel = "NAME|DIR", description = "Shipped model name or model directory, optionally with settings, "
            + "e.g. interp-diffusion:sample_steps=5 (default: ${DEFAULT-VALUE}).")
    String model = Lucid.DEFAULT_MODEL;

    @Option(names = "--adapter", paramLabel = "NAME|DIR", description = "An adapter made by lucid adapt for the model (a name under ~/.lucid/adapters or its folder).")
    String adapter;

    @Option(names = "--camera", paramLabel = "NAME", description = "One of the model's camera adapters (lucid models lists them), e.g. for tellme-raw.")
    String camera;

    @Option(names = "--steps", paramLabel = "N", description = "Sampling steps of a diffusion model (its sample_steps setting).")
    Integer steps;

    @Option(names = "--ensemble", paramLabel = "1|2|4|8", description = "Average the restorations of this many flipped and turned copies of each image "
            + "(its ensemble setting; with 8, lucid-real gains about 0.1 dB in 5 to 8 times the time; sRGB and gray models).")
    Integer ensemble;

    @Option(names = "--sampling", paramLabel = "origin|improved", description = "Sampler of an interpolation-diffusion model (its sampling setting).")
    String sampling;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Caption of the scene, for a text-guided model (the same for every input).")
    String prompt;

    @Option(names = "--prompts", paramLabel = "FILE.tsv", description = "Captions per input for a text-guided model: header file<TAB>caption, matched by file name.")
    Path prompts;

    @Option(names = "--strength", paramLabel = "S", description = "Scale of the estimated noise level, for a model with a noise map (1 = automatic; 0 < S <= 10).")
    Double strength;

    @Option(names = "--noise-level", paramLabel = "SIGMA", description = "Known noise level in 8-bit units (0 < SIGMA <= 255), for a model that takes one instead of estimating it.")
    Double noiseLevel;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of a sampling model's randomness.")
    Long seed;

    @Option(names = "--noise-map", paramLabel = "OUT.png", description = "Also write the noise level the model estimates (one input; a model with a noise map): "
            + "a 16-bit PNG holding sigma in the image's own units, so a value of 25/255 means sigma = 25.")
    Path noiseMap;

    @Mixin TilingOptions tiling;

    @Option(names = "--bit-depth", paramLabel = "8|16", description = "Output bit depth (default: the input's; JPEG is 8).")
    Integer bitDepth;

    @Option(names = "--quality", paramLabel = "1-100", description = "JPEG output quality (default: ${DEFAULT-VALUE}).")
    int quality = 95;

    @Option(names = "--max-pixels", paramLabel = "N", description = "Refuse images larger than N pixels, read from the header before decoding (default: ${DEFAULT-VALUE}).")
    long maxPixels = ImageFiles.DEFAULT_MAX_PIXELS;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** --model with --adapter, --camera, --steps, --sampling and --ensemble added as settings. */
    private String modelSpec() {
        ModelSpec spec = ModelSpec.parse(model);
        if (adapter != null) spec = spec.with(Lucid.ADAPTER, adapter);
        if (camera != null) spec = spec.with(Lucid.CAMERA, camera);
        if (steps != null) spec = spec.with("sample_steps", steps.toString());
        if (sampling != null) spec = spec.with("sampling", sampling);
        if (ensemble != null) spec = spec.with(Lucid.ENSEMBLE, ensemble.toString());
        return spec.toString();
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        inputs = expandFolders(inputs);
        validateOptions();
        Tiler.Settings settings = tiling.settings(spec.commandLine());
        if (outDir != null) prepareOutDir();
        Map<Path, String> failures = new LinkedHashMap<>();
        Guidance guidance = Guidance.none().withText(prompt).withStrength(strength).withSigma(noiseLevel).withSeed(seed).withTask(task());
        Captions captions = prompts == null ? null : Captions.read(prompts);
        int done = 0;
        try (Restorer restorer = Peers.load(modelSpec(), settings); ProgressBars bars = ProgressBars.create()) {
            // guidance the model cannot use is a usage error before any image is read
            (captions == null ? guidance : guidance.withText("any caption")).requireAccepted(restorer.accepts(), restorer.card().name());
            if (noiseMap != null && !restorer.accepts().contains(Guidance.Kind.STRENGTH)) {
                throw new IllegalArgumentException("model " + restorer.card().name() + " estimates no noise map (--noise-map needs a model with a noise estimator)");
            }
            int index = 0;
            for (Path in : inputs) {
                index++;
                bars.label(inputs.size() > 1 ? "[" + index + "/" + inputs.size() + "] " + in.getFileName() : in.getFileName().toString());
                try {
                    Path out = outputFor(in);
                    Guidance forImage = captions == null ? guidance : guidance.withText(captions.of(in));
                    if (forImage.hasText() && (captions != null || index == 1)) {
                        restorer.promptWarning(forImage.text()).ifPresent(w -> System.err.println("lucid: warning: " + (captions != null ? in.getFileName() + ": " : "") + w));
                    }
                    Image image = ImageFiles.read(in, maxPixels);
                    Image restored;
                    try {
                        restored = restorer.restore(image, settleTask(restorer, image, in, forImage), bars);
                    } catch (Guidance.UnsupportedGuidanceException e) {
                        throw e;                                    // about the options, the same for every image
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(in + ": " + e.getMessage(), e);    // about this image: say which
                    }
                    if (noiseMap != null || common.verbose) reportNoise(restorer, image, in, bars);
                    if (bitDepth != null) restored = restored.withBitDepth(bitDepth);
                    ImageFiles.write(restored, out, quality);
                    done++;
                    bars.finish();
                    if (inputs.size() > 1 || System.console() != null) System.err.println(in + " -> " + out);
                } catch (IOException | IllegalArgumentException e) {
                    bars.finish();
                    failures.put(in, ErrorMessages.firstLine(e));
                    Errors.report(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            if (inputs.size() > 1) {
                System.err.printf(Locale.ROOT, "%d of %d images failed (%d written):%n", failures.size(), inputs.size(), done);
                failures.values().forEach(m -> System.err.println("  - " + m));
            }
            return Main.EXIT_BAD_INPUT;
        }
        return 0;
    }

    /** The task this command runs: denoise (a multi-task model is told so). */
    String task() { return Guidance.DENOISE; }

    /** The suffix of an output written beside its input. */
    String outputSuffix() { return "_denoised"; }

    /** The guidance for one image once its task is settled; denoising has nothing to settle. */
    Guidance settleTask(Restorer restorer, Image image, Path in, Guidance guidance) { return guidance; }

    /** --noise-map and --verbose: the estimated noise map, written and summarised per channel (8-bit units). */
    private void reportNoise(Restorer restorer, Image image, Path in, ProgressBars bars) throws IOException {
        int stride = restorer.pdStride(image);
        if (common.verbose && stride > 1) {
            dev.lucid.degrade.NoiseLevel.Correlation noise = dev.lucid.degrade.NoiseLevel.correlation(image);
            System.err.printf(Locale.ROOT, "%s: restored on its %dx%d pixel-shuffled sub-images (noise sigma %.1f, correlation %.2f / %.2f at 1 / 2 pixels%s)%n",
                    in.getFileName(), stride, stride, noise.sigma(), noise.lag1(), noise.lag2(),
                    Double.isNaN(noise.chromaLag1()) ? "" : String.format(Locale.ROOT, ", %.2f in colour at 1", noise.chromaLag1()));
        }
        java.util.Optional<Image> map = restorer.noiseMap(image, bars);
        if (map.isEmpty()) return;
        if (noiseMap != null) ImageFiles.write(map.get().withBitDepth(16), noiseMap);
        StringBuilder levels = new StringBuilder();
        for (int c = 0; c < map.get().channels(); c++) {
            double sum = 0;
            for (float v : map.get().plane(c)) sum += v;
            levels.append(String.format(Locale.ROOT, "%s%.1f", c == 0 ? "" : " / ", 255 * sum / map.get().pixels()));
        }
        System.err.println(in.getFileName() + ": estimated noise level (sigma, 8-bit units, mean per channel) " + levels);
    }

    /** Replaces each folder by the image files directly inside it, in name order; files stay as given. */
    static List<Path> expandFolders(List<Path> given) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (!Files.isDirectory(p)) {
                out.add(p);
                continue;
            }
            out.addAll(ImageFiles.listImages(p));
        }
        return out;
    }

    private void validateOptions() {
        CommandLine cl = spec.commandLine();
        if (output != null && outDir != null) throw new CommandLine.ParameterException(cl, "give either -o or --out-dir, not both");
        if (output != null && inputs.size() > 1) throw new CommandLine.ParameterException(cl, "-o takes one input; use --out-dir for several");
        if (bitDepth != null && bitDepth != 8 && bitDepth != 16) throw new CommandLine.ParameterException(cl, "--bit-depth must be 8 or 16");
        if (quality < 1 || quality > 100) throw new CommandLine.ParameterException(cl, "--quality must be 1..100");
        if (maxPixels < 1) throw new CommandLine.ParameterException(cl, "--max-pixels must be positive");
        if (noiseMap != null && inputs.size() > 1) throw new CommandLine.ParameterException(cl, "--noise-map takes one input");
        if (prompt != null && prompts != null) throw new CommandLine.ParameterException(cl, "give either --prompt or --prompts, not both");
        if (Guidance.strengthProblem(strength) != null) throw new CommandLine.ParameterException(cl, "--strength " + Guidance.strengthProblem(strength));
        if (Guidance.noiseLevelProblem(noiseLevel) != null) throw new CommandLine.ParameterException(cl, "--noise-level " + Guidance.noiseLevelProblem(noiseLevel));
    }

    private void prepareOutDir() throws IOException {
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new IOException("cannot create output directory " + outDir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(outDir)) throw new IOException("output directory " + outDir + " is not writable");
    }

    /** The output path of one input; refuses to overwrite the input itself. */
    private Path outputFor(Path in) throws IOException {
        Path out;
        if (output != null) {
            out = output;
        } else {
            String name = in.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot).toLowerCase(Locale.ROOT) : ".png";
            if (!ext.matches("\\.(png|tiff?|jpe?g)")) ext = ".png"; // BMP and others: written as PNG
            out = outDir != null ? outDir.resolve(stem + ext) : in.resolveSibling(stem + outputSuffix() + ext);
        }
        if (Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out)
                || in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new IOException(in + ": the output path is the input file; Lucid never overwrites its input");
        }
        ImageFiles.Format.of(out); // an unsupported extension fails before any work is done
        return out;
    }
}
