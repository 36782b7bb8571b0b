package dev.lucid.cli;

import dev.lucid.degrade.Degradation;
import dev.lucid.degrade.Degradations;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Add seeded synthetic noise to clean images (or to Lucid's procedural test card).",
                "Degradation is added in float; the file written is rounded to its bit depth and clipped.",
                "An output ending in .dng (with --noise raw-lowlight[:SHOT,READ] or raw-camera:FILE.yaml) is a raw capture: the clean image unprocessed",
                "by a random camera (seeded), the noise added to its mosaic, written as a 16-bit DNG with that camera's metadata."})
final class SynthCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "CLEAN", description = "Clean input images.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--test-card", paramLabel = "WxH", description = "Use the procedural test card of this size as the clean image.")
    String testCard;

    @Option(names = "--noise", required = true, paramLabel = "RECIPE", description = "e.g. gaussian:25, gaussian:0-55, poisson-gaussian:0.01,0.02")
    String noise;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}); image i uses seed + i.")
    long seed = 0;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file (one image only).")
    Path output;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Output directory; names are kept, but a JPEG or BMP input is written as PNG (JPEG would compress the added noise or rain away).")
    Path outDir;

    @Option(names = "--bit-depth", paramLabel = "8|16", description = "Output bit depth (default: the input's).")
    Integer bitDepth;

    @Option(names = "--clean-output", paramLabel = "FILE", description = "With --test-card: also write the clean card here.")
    Path cleanOutput;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        Degradation recipe;
        try {
            recipe = Degradations.parse(noise);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        int count = inputs.size() + (testCard != null ? 1 : 0);
        if (count == 0) throw new CommandLine.ParameterException(cl, "give CLEAN images or --test-card");
        if ((output == null) == (outDir == null)) throw new CommandLine.ParameterException(cl, "give exactly one of -o or --out-dir");
        if (output != null && count > 1) throw new CommandLine.ParameterException(cl, "-o takes one image; use --out-dir");
        if (outDir != null) Files.createDirectories(outDir);
        int failures = 0;
        int index = 0;
        if (testCard != null) {
            String[] wh = testCard.toLowerCase().split("x");
            if (wh.length != 2) throw new CommandLine.ParameterException(cl, "--test-card takes WxH, e.g. 640x480");
            Image card = TestCard.render(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), seed);
            if (cleanOutput != null) ImageFiles.write(card, cleanOutput);
            write(card, recipe, seed + index++, output != null ? output : outDir.resolve("test-card.png"));
        }
        for (Path in : inputs) {
            try {
                Image clean = ImageFiles.read(in);
                Path out = output != null ? output : outDir.resolve(losslessName(in.getFileName().toString()));
                if (Files.exists(out) && Files.isSameFile(in, out)) throw new java.io.IOException(in + ": the output path is the input file");
                write(clean, recipe, seed + index++, out);
            } catch (java.io.IOException | IllegalArgumentException e) {
                Errors.report(e);
                failures++;
            }
        }
        return failures == 0 ? 0 : Main.EXIT_BAD_INPUT;
    }

    /**
     * A degraded image is data: its name is kept when Lucid writes that format losslessly (PNG, TIFF, DNG); any other
     * input (JPEG, which would smooth the added noise or streaks, BMP, which Lucid does not write) gets .png.
     */
    static String losslessName(String name) {
        return name.matches("(?i).*\\.(png|tiff?|dng)") ? name : name.replaceFirst("(\\.[^.]*)?$", ".png");
    }

    private void write(Image clean, Degradation recipe, long imageSeed, Path out) throws java.io.IOException {
        if (out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".dng")) {
            if (!dev.lucid.degrade.RawLowLightNoise.isRaw(recipe)) {
                throw new IllegalArgumentException("a DNG output is a raw capture: give --noise raw-lowlight, raw-lowlight:SHOT,READ or raw-camera:FILE.yaml, not " + noise);
            }
            dev.lucid.image.Dng.write(dev.lucid.degrade.RawLowLightNoise.capture(recipe, clean, imageSeed).noisy(), out);
            return;
        }
        Image image = recipe.applyTo(clean, imageSeed);
        ImageFiles.write(bitDepth != null ? image.withBitDepth(bitDepth) : image, out);
    }
}
