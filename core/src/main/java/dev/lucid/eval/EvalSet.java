package dev.lucid.eval;

import dev.lucid.degrade.GaussianNoise;
import dev.lucid.degrade.Degradation;
import dev.lucid.degrade.Degradations;
import dev.lucid.degrade.RawLowLightNoise;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test cases for evaluation, in name order: clean images with seeded synthetic noise (added in float, not
 * clipped or rounded), or real noisy/clean pairs matched by identical file name or by PolyU's
 * {@code X_real.*} / {@code X_mean.*} naming.
 */
public final class EvalSet {

    /** A clean image and its noisy version. */
    public record Loaded(Image clean, Image noisy) {}

    /** One test case; its images are read (and noised) on demand so large sets stay out of memory. */
    public interface Case {
        String name();
        Loaded load() throws IOException;
        /** The noise σ (8-bit units) when it is known (synthetic Gaussian), else null. */
        Double sigma();
        /** The clean image's file (its caption describes the scene). */
        Path cleanFile();
    }

    private final String description;
    private final List<Case> cases;

    private EvalSet(String description, List<Case> cases) {
        this.description = description;
        this.cases = cases;
    }

    public String description() { return description; }

    public List<Case> cases() { return cases; }

    public EvalSet limit(int n) {
        return n <= 0 || n >= cases.size() ? this : new EvalSet(description + " (first " + n + ")", cases.subList(0, n));
    }

    /**
     * Clean images of a folder with the given degradation. Noise keeps the released CLIPDenoising test protocol: the
     * seed is reset per image, so every image gets the same seed. A scene degradation (rain, haze) is seeded with the
     * seed plus the image's index instead: it draws its streaks' angle, length and strength or its airlight and depth
     * field from the seed, so one seed would lay the same rain layer over every image of a size and test one draw.
     */
    public static EvalSet synthetic(Path cleanDir, String noiseSpec, long seed) throws IOException {
        Degradation noise = Degradations.parse(noiseSpec);
        if (RawLowLightNoise.isRaw(noise)) return rawCaptures(cleanDir, noise, seed);
        Double sigma = noise instanceof GaussianNoise ? ((GaussianNoise) noise).fixedSigma() : null;
        String task = noise.task();
        boolean seedPerImage = !task.equals("denoise") && !task.equals(Degradation.NO_TASK);
        List<Case> cases = new ArrayList<>();
        List<Path> files = ImageFiles.listImages(cleanDir);
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long imageSeed = seedPerImage ? seed + i : seed;
            cases.add(new Case() {
                @Override public String name() { return file.getFileName().toString(); }
                @Override public Loaded load() throws IOException {
                    Image clean = ImageFiles.read(file);
                    return new Loaded(clean, noise.applyTo(clean, imageSeed));
                }
                @Override public Double sigma() { return sigma; }
                @Override public Path cleanFile() { return file; }
            });
        }
        return new EvalSet(cleanDir.getFileName() + " + " + noise.describe() + " (seed " + seed + (seedPerImage ? " + image index)" : ")"), cases);
    }

    /**
     * Raw captures of clean images: each unprocessed to a packed raw image (by a random camera, or the recipe's simulated
     * camera) and noised in raw, both from the seed plus the image's index (random cameras vary over the set, the same
     * ones for every model).
     */
    private static EvalSet rawCaptures(Path cleanDir, Degradation noise, long seed) throws IOException {
        List<Case> cases = new ArrayList<>();
        List<Path> files = ImageFiles.listImages(cleanDir);
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long imageSeed = seed + i;
            cases.add(new Case() {
                @Override public String name() { return file.getFileName().toString(); }
                @Override public Loaded load() throws IOException {
                    RawLowLightNoise.Capture capture = RawLowLightNoise.capture(noise, ImageFiles.read(file), imageSeed);
                    return new Loaded(capture.clean(), capture.noisy());
                }
                @Override public Double sigma() { return null; }
                @Override public Path cleanFile() { return file; }
            });
        }
        return new EvalSet(cleanDir.getFileName() + " raw captures + " + noise.describe() + " (seed " + seed + " + image index)", cases);
    }

    /**
     * Real pairs: {@code noisyDir} and {@code cleanDir} holding files of the same names, or one folder
     * (cleanDir null or equal) with PolyU {@code *_real.*} noisy and {@code *_mean.*} clean images.
     */
    public static EvalSet pairs(Path noisyDir, Path cleanDir) throws IOException {
        return pairs(noisyDir, cleanDir, name -> true, "");
    }

    /** The pairs of one part of a scene split file (e.g. PolyU's test scenes), labelled with the part. */
    public static EvalSet pairs(Path noisyDir, Path cleanDir, Path splitFile, String part) throws IOException {
        return pairs(noisyDir, cleanDir, SceneSplit.load(splitFile).filter(SceneSplit.part(part)), " (" + part + " scenes)");
    }

    /** Pairs whose noisy file name passes {@code keep} (e.g. a {@link SceneSplit} part); {@code label} is added to the description. */
    public static EvalSet pairs(Path noisyDir, Path cleanDir, java.util.function.Predicate<String> keep, String label) throws IOException {
        List<Case> cases = new ArrayList<>();
        boolean polyu = cleanDir == null || cleanDir.equals(noisyDir);
        for (Path noisy : ImageFiles.listImages(noisyDir)) {
            String name = noisy.getFileName().toString();
            if (!keep.test(name)) continue;
            Path clean;
            if (polyu) {
                if (!name.contains("_real.")) continue;
                clean = noisy.resolveSibling(name.replace("_real.", "_mean."));
            } else {
                clean = cleanDir.resolve(name);
            }
            if (!Files.exists(clean)) throw new IOException("no clean partner for " + noisy + " (expected " + clean + ")");
            String caseName = polyu ? name.replace("_real.", ".") : name;
            cases.add(new Case() {
                @Override public String name() { return caseName; }
                @Override public Loaded load() throws IOException { return new Loaded(ImageFiles.read(clean), ImageFiles.read(noisy)); }
                @Override public Double sigma() { return null; }
                @Override public Path cleanFile() { return clean; }
            });
        }
        if (cases.isEmpty()) throw new IOException("no noisy/clean pairs found in " + noisyDir + (polyu ? " (PolyU *_real/*_mean naming)" : ""));
        return new EvalSet(noisyDir.getFileName() + " real pairs" + label, cases);
    }
}
