package dev.lucid.train;

import dev.lucid.degrade.Degradation;
import dev.lucid.degrade.Degradations;
import dev.lucid.degrade.NoiseLevel;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import dev.lucid.text.Captions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training images held in memory as 8-bit samples: clean images, to which a noise recipe is applied on the
 * fly, and real noisy/clean pairs, cropped together. Each step draws a batch of random crops with a random
 * dihedral transform. A batch is a pure function of (seed, step), so a resumed run sees exactly the batches
 * it would have seen without the interruption.
 */
public final class PatchDataset {

    /** One clean image and its caption (or null); gray sources stay single-channel and get channel-identical noise. */
    record Clean(String name, int width, int height, int channels, byte[] samples, String caption) {
        float at(int c, int x, int y) { return (samples[(c * height + y) * width + x] & 0xff) / 255f; }
    }

    /**
     * Noisy input and clean target, NCHW with N = batch, C = channels (clean null for noisy photos alone, as an
     * adaptation learns from); per sample the caption (null when the image has none or caption dropout removed it)
     * and the task that undoes its degradation.
     */
    public record Batch(float[] noisy, float[] clean, int n, int channels, int size, List<String> captions, List<Boolean> captionDropped, List<String> tasks,
                        List<dev.lucid.image.RawInfo> raw, float[] reference) {

        /** An sRGB batch without references: no sample has raw metadata. */
        Batch(float[] noisy, float[] clean, int n, int channels, int size, List<String> captions, List<Boolean> captionDropped, List<String> tasks) {
            this(noisy, clean, n, channels, size, captions, captionDropped, tasks, java.util.Collections.nCopies(n, null), null);
        }
    }

    private final List<List<Clean>> sources = new ArrayList<>();
    private final List<List<Clean[]>> pairSources = new ArrayList<>();   // {noisy, clean}
    private final double[] sourceWeights;                                 // clean sources first, then pair sources
    private final List<Clean> holdout = new ArrayList<>();
    private final List<Clean> noisyOnly = new ArrayList<>();                // photos without clean images (adaptation)
    /** Below this median noise estimate (8-bit σ) noisy photos are taken to be clean: nothing to adapt to. */
    static final double MIN_NOISE = 1.0;
    private final java.util.Set<String> cameras = new java.util.TreeSet<>();
    private final List<NoiseLevel.Correlation> correlations = new ArrayList<>();   // per noisy photo
    private final List<Degradation> noises = new ArrayList<>();
    private final List<String> noiseTasks = new ArrayList<>();        // the task taught for each recipe
    private final double[] noiseWeights;
    private final double captionDropout;
    private final double captionShuffle;
    private final List<String> allCaptions;                                 // every distinct caption, for data.caption_shuffle
    private final boolean rawCapture;                                      // data.raw: samples are packed raw captures
    private final boolean references;                                      // data.reference: samples bring another patch of their noisy image
    private final int patch;
    private final int batch;
    private final long seed;

    public PatchDataset(TrainConfig config) throws IOException {
        this.patch = config.patch();
        this.batch = config.batch();
        this.seed = config.seed();
        this.captionDropout = config.captionDropout();
        this.captionShuffle = config.captionShuffle();
        sourceWeights = new double[config.clean().size() + config.pairs().size()];
        int cleanCrop = config.references() ? 2 * patch : patch;         // a reference comes from the same crop
        for (int s = 0; s < config.clean().size(); s++) {
            TrainConfig.Source source = config.clean().get(s);
            List<Path> files = ImageFiles.listImages(source.path());
            int keep = files.size() - source.holdout();
            if (keep < 1) throw new IOException(source.path() + ": holdout " + source.holdout() + " leaves no training image");
            Captions captions = source.captions() == null ? null : Captions.read(source.captions());
            List<Clean> images = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Clean c = quantise(files.get(i).getFileName().toString(), ImageFiles.read(files.get(i)), captions == null ? null : captions.of(files.get(i)));
                if (i >= keep) holdout.add(c);
                else if (c.width() >= cleanCrop && c.height() >= cleanCrop) images.add(c);
            }
            if (images.isEmpty()) throw new IOException(source.path() + ": no image is at least " + cleanCrop + "x" + cleanCrop);
            sources.add(images);
            sourceWeights[s] = source.weight();
        }
        for (int s = 0; s < config.pairs().size(); s++) {
            TrainConfig.PairSource source = config.pairs().get(s);
            java.util.function.Predicate<String> keep = name -> true;
            if (source.split() != null) keep = dev.lucid.eval.SceneSplit.load(source.split()).filter(dev.lucid.eval.SceneSplit.part(source.part()));
            List<Clean[]> pairs = new ArrayList<>();
            Captions captions = source.captions() == null ? null : Captions.read(source.captions());
            for (dev.lucid.eval.EvalSet.Case c : dev.lucid.eval.EvalSet.pairs(source.noisy(), source.clean(), keep, "").cases()) {
                dev.lucid.eval.EvalSet.Loaded images = c.load();
                String caption = captions == null ? null : captions.of(c.cleanFile());
                Clean noisy = quantise(c.name(), images.noisy(), caption), clean = quantise(c.name(), images.clean(), caption);
                if (noisy.width() >= patch && noisy.height() >= patch) pairs.add(new Clean[] {noisy, clean});
            }
            if (pairs.isEmpty()) throw new IOException(source.noisy() + ": no pair is at least " + patch + "x" + patch);
            pairSources.add(pairs);
            sourceWeights[config.clean().size() + s] = source.weight();
        }
        for (Path path : config.noisyOnly()) {
            List<Path> files = java.nio.file.Files.isDirectory(path) ? ImageFiles.listImages(path) : List.of(path);   // refuses an empty folder
            for (Path file : files) {
                Image photo = ImageFiles.read(file);
                if (photo.metadata() != null && photo.metadata().camera() != null) cameras.add(photo.metadata().camera());
                if (photo.width() >= patch && photo.height() >= patch) {
                    noisyOnly.add(quantise(file.getFileName().toString(), photo, null));
                    correlations.add(NoiseLevel.correlation(photo));
                }
            }
        }
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
        for (List<Clean> images : sources) for (Clean c : images) if (c.caption() != null) distinct.add(c.caption());
        for (List<Clean[]> pairs : pairSources) for (Clean[] pair : pairs) if (pair[1].caption() != null) distinct.add(pair[1].caption());
        allCaptions = List.copyOf(distinct);
        if (captionShuffle > 0 && allCaptions.size() < 2) {
            throw new IllegalArgumentException("data.caption_shuffle needs training images with at least two different captions, found " + allCaptions.size());
        }
        if (!config.noisyOnly().isEmpty() && noisyOnly.isEmpty()) {
            throw new IOException("no photo is at least " + patch + "x" + patch + " pixels, the size of one training patch");
        }
        // read from the flattest blocks: 0.4 on PolyU's clean references, 1.5 on its noisy photos, 9.5 on SIDD's
        double sigma = noiseCorrelation().sigma();
        if (!noisyOnly.isEmpty() && sigma < MIN_NOISE) {
            throw new IOException(String.format(java.util.Locale.ROOT, "the photos show almost no noise (median estimate sigma = %.2f in 8-bit units, "
                    + "below %.1f): there is nothing to learn, and the model stays as it is", sigma, MIN_NOISE));
        }
        rawCapture = config.rawCapture();
        references = config.references();
        if (rawCapture && patch % 2 != 0) throw new IllegalArgumentException("raw training needs an even data.patch (the sRGB crop; the packed raw is half its side), got " + patch);
        noiseWeights = new double[config.noise().size()];
        for (int i = 0; i < noiseWeights.length; i++) {
            Degradation noise = Degradations.parse(config.noise().get(i).recipe());
            if (rawCapture && !dev.lucid.degrade.RawLowLightNoise.isRaw(noise)) {
                throw new IllegalArgumentException("raw training (data.raw) captures in raw: data.noise recipes must be raw-lowlight or raw-camera:FILE, got \""
                        + noise.describe() + "\"");
            }
            noises.add(noise);
            String task = config.noise().get(i).task();
            noiseTasks.add(task != null ? task : noise.task());
            noiseWeights[i] = config.noise().get(i).weight();
        }
    }

    /** Whether samples are packed raw captures (data.raw). */
    public boolean rawCapture() { return rawCapture; }

    /** The simulated cameras of the noise recipes ({@code raw-camera:FILE}), by name; empty when none is. */
    public java.util.Set<String> simulatedCameras() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Degradation d : noises) if (d instanceof dev.lucid.degrade.SimulatedCamera camera) names.add(camera.name());
        return names;
    }

    private static Clean quantise(String name, Image img, String caption) {
        int n = (int) img.pixels();
        byte[] samples = new byte[img.channels() * n];
        for (int c = 0; c < img.channels(); c++) {
            float[] plane = img.plane(c);
            for (int i = 0; i < n; i++) samples[c * n + i] = (byte) Math.round(Math.min(1f, Math.max(0f, plane[i])) * 255);
        }
        return new Clean(name, img.width(), img.height(), img.channels(), samples, caption);
    }

    public int trainingImages() {
        return sources.stream().mapToInt(List::size).sum() + pairSources.stream().mapToInt(List::size).sum() + noisyOnly.size();
    }

    /** The noise of the noisy photos: the median of each of their {@link NoiseLevel#correlation} readings (NaN: none has it). */
    public NoiseLevel.Correlation noiseCorrelation() {
        java.util.function.ToDoubleFunction<java.util.function.ToDoubleFunction<NoiseLevel.Correlation>> median = f -> {
            double[] v = correlations.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).sorted().toArray();
            return v.length == 0 ? Double.NaN : v[v.length / 2];
        };
        return new NoiseLevel.Correlation(median.applyAsDouble(NoiseLevel.Correlation::sigma),
                median.applyAsDouble(NoiseLevel.Correlation::lag1), median.applyAsDouble(NoiseLevel.Correlation::lag2),
                median.applyAsDouble(NoiseLevel.Correlation::lag3), correlations.stream().mapToInt(NoiseLevel.Correlation::blocks).sum(),
                median.applyAsDouble(NoiseLevel.Correlation::chromaLag1));
    }

    /** The cameras the noisy photos' EXIF names ("Make Model"), sorted; empty when none does. */
    public java.util.Set<String> cameras() { return java.util.Collections.unmodifiableSet(cameras); }

    /** Held-out images for validation, as 3-channel Images. */
    public List<Image> holdout() {
        List<Image> out = new ArrayList<>();
        for (Clean c : holdout) {
            int n = c.width() * c.height();
            float[][] planes = new float[3][n];
            for (int ch = 0; ch < 3; ch++) {
                int src = Math.min(ch, c.channels() - 1);
                for (int i = 0; i < n; i++) planes[ch][i] = (c.samples()[src * n + i] & 0xff) / 255f;
            }
            out.add(new Image(c.width(), c.height(), planes, null, 8, Image.Encoding.SRGB, c.name()));
        }
        return out;
    }

    public Batch batch(long step) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        SplittableRandom shuffles = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + step);   // its own stream: see addCaption
        if (!noisyOnly.isEmpty()) return noisyBatch(rng);
        if (rawCapture) return rawBatch(rng, shuffles);
        if (references) return referenceBatch(rng);
        int pp = patch * patch;
        float[] noisy = new float[batch * 3 * pp], clean = new float[batch * 3 * pp];
        float[] one = new float[3 * pp];
        List<String> captions = new ArrayList<>(batch), tasks = new ArrayList<>(batch);
        List<Boolean> dropped = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            Clean shown;
            int source = pick(sourceWeights, rng);
            int offset = b * 3 * pp;
            if (source < sources.size()) {
                List<Clean> images = sources.get(source);
                Clean img = images.get(rng.nextInt(images.size()));
                shown = img;
                int x0 = rng.nextInt(img.width() - patch + 1), y0 = rng.nextInt(img.height() - patch + 1);
                int transform = rng.nextInt(8);
                int channels = img.channels();
                crop(img, x0, y0, transform, one);
                for (int c = 0; c < 3; c++) System.arraycopy(one, Math.min(c, channels - 1) * pp, clean, offset + c * pp, pp);
                float[] degraded = java.util.Arrays.copyOf(one, channels * pp);
                int option = pick(noiseWeights, rng);
                noises.get(option).apply(degraded, channels, patch, patch, window(img, x0, y0, transform), rng);
                tasks.add(noiseTasks.get(option));
                for (int c = 0; c < 3; c++) System.arraycopy(degraded, Math.min(c, channels - 1) * pp, noisy, offset + c * pp, pp);
            } else {
                List<Clean[]> pairs = pairSources.get(source - sources.size());
                Clean[] pair = pairs.get(rng.nextInt(pairs.size()));
                shown = pair[1];
                tasks.add("denoise");
                int x0 = rng.nextInt(pair[0].width() - patch + 1), y0 = rng.nextInt(pair[0].height() - patch + 1);
                int transform = rng.nextInt(8);
                for (int k = 0; k < 2; k++) {
                    crop(pair[k], x0, y0, transform, one);
                    float[] target = k == 0 ? noisy : clean;
                    for (int c = 0; c < 3; c++) System.arraycopy(one, Math.min(c, pair[k].channels() - 1) * pp, target, offset + c * pp, pp);
                }
            }
            addCaption(shown, rng, shuffles, captions, dropped);
        }
        return new Batch(noisy, clean, batch, 3, patch, captions, dropped, tasks);
    }

    /**
     * A sample's caption: its image's, dropped with probability data.caption_dropout (null), else swapped with probability
     * data.caption_shuffle for another training image's, as the shuffled caption mode of an evaluation gives it, so the
     * model learns to restore what the image shows when the prompt is wrong. Only captioned images draw the dropout, so
     * configs without captions keep their batches; the shuffle draws from a stream of its own, so setting it changes the
     * captions of a run's batches and nothing else.
     */
    private void addCaption(Clean shown, SplittableRandom rng, SplittableRandom shuffles, List<String> captions, List<Boolean> dropped) {
        boolean drop = shown.caption() != null && rng.nextDouble() < captionDropout;
        String caption = drop ? null : shown.caption();
        if (caption != null && captionShuffle > 0 && shuffles.nextDouble() < captionShuffle) {
            int own = allCaptions.indexOf(caption), other = shuffles.nextInt(allCaptions.size() - 1);
            caption = allCaptions.get(other < own ? other : other + 1);      // uniform over the captions but its own
        }
        dropped.add(drop);
        captions.add(caption);
    }

    /**
     * Raw captures of clean crops: each patch×patch sRGB crop (gray as three equal planes) unprocessed by a camera (the
     * recipe's simulated camera, or a random one per sample), the recipe's noise added on the mosaic, both packed to 4
     * planes of (patch/2)², as Tell-Me trains on.
     */
    private Batch rawBatch(SplittableRandom rng, SplittableRandom shuffles) {
        int pp = patch * patch, half = patch / 2, packed = 4 * half * half;
        float[] noisy = new float[batch * packed], clean = new float[batch * packed], one = new float[3 * pp], rgb = new float[3 * pp];
        List<String> captions = new ArrayList<>(batch);
        List<Boolean> dropped = new ArrayList<>(batch);
        List<dev.lucid.image.RawInfo> raw = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            List<Clean> images = sources.get(pick(sourceWeights, rng));
            Clean img = images.get(rng.nextInt(images.size()));
            crop(img, rng.nextInt(img.width() - patch + 1), rng.nextInt(img.height() - patch + 1), rng.nextInt(8), one);
            for (int c = 0; c < 3; c++) System.arraycopy(one, Math.min(c, img.channels() - 1) * pp, rgb, c * pp, pp);
            Degradation recipe = noises.get(pick(noiseWeights, rng));
            dev.lucid.degrade.SimulatedCamera camera = recipe instanceof dev.lucid.degrade.SimulatedCamera c ? c : null;
            dev.lucid.degrade.CameraPipeline shooting = camera != null ? camera.pipeline() : dev.lucid.degrade.CameraPipeline.random(rng);
            dev.lucid.degrade.RawLowLightNoise noise = camera != null ? camera.noise() : (dev.lucid.degrade.RawLowLightNoise) recipe;
            float[][] capture = noise.capture(rgb, patch, patch, shooting, rng);
            System.arraycopy(capture[0], 0, clean, b * packed, packed);
            System.arraycopy(capture[1], 0, noisy, b * packed, packed);
            raw.add(shooting.rawInfo());
            addCaption(img, rng, shuffles, captions, dropped);
        }
        return new Batch(noisy, clean, batch, 4, half, captions, dropped, java.util.Collections.nCopies(batch, "denoise"), raw, null);
    }

    /**
     * Clean/noisy patches, each with a reference: another patch of the same noisy image. A clean source's crop of twice
     * the patch side (under a dihedral transform) is noised as a whole, its top-left quarter is the pair and its
     * bottom-right quarter the reference; a real pair gives two patches of its noisy photo at random places.
     */
    private Batch referenceBatch(SplittableRandom rng) {
        int pp = patch * patch, twice = 2 * patch;
        float[] noisy = new float[batch * 3 * pp], clean = new float[batch * 3 * pp], reference = new float[batch * 3 * pp];
        float[] big = new float[3 * 4 * pp], one = new float[3 * pp];
        for (int b = 0; b < batch; b++) {
            int source = pick(sourceWeights, rng), offset = b * 3 * pp;
            if (source < sources.size()) {
                List<Clean> images = sources.get(source);
                Clean img = images.get(rng.nextInt(images.size()));
                crop(img, rng.nextInt(img.width() - twice + 1), rng.nextInt(img.height() - twice + 1), rng.nextInt(8), twice, big);
                float[] rgb = new float[3 * 4 * pp];
                for (int c = 0; c < 3; c++) System.arraycopy(big, Math.min(c, img.channels() - 1) * 4 * pp, rgb, c * 4 * pp, 4 * pp);
                float[] degraded = rgb.clone();
                noises.get(pick(noiseWeights, rng)).apply(degraded, 3, twice, twice, rng);
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < patch; y++) {
                        System.arraycopy(rgb, (c * twice + y) * twice, clean, offset + (c * patch + y) * patch, patch);
                        System.arraycopy(degraded, (c * twice + y) * twice, noisy, offset + (c * patch + y) * patch, patch);
                        System.arraycopy(degraded, (c * twice + patch + y) * twice + patch, reference, offset + (c * patch + y) * patch, patch);
                    }
                }
            } else {
                List<Clean[]> pairs = pairSources.get(source - sources.size());
                Clean[] pair = pairs.get(rng.nextInt(pairs.size()));
                int x0 = rng.nextInt(pair[0].width() - patch + 1), y0 = rng.nextInt(pair[0].height() - patch + 1), transform = rng.nextInt(8);
                for (int k = 0; k < 2; k++) {
                    crop(pair[k], x0, y0, transform, patch, one);
                    for (int c = 0; c < 3; c++) System.arraycopy(one, Math.min(c, pair[k].channels() - 1) * pp, k == 0 ? noisy : clean, offset + c * pp, pp);
                }
                crop(pair[0], rng.nextInt(pair[0].width() - patch + 1), rng.nextInt(pair[0].height() - patch + 1), rng.nextInt(8), patch, one);
                for (int c = 0; c < 3; c++) System.arraycopy(one, Math.min(c, pair[0].channels() - 1) * pp, reference, offset + c * pp, pp);
            }
        }
        List<String> none = java.util.Collections.nCopies(batch, null);
        return new Batch(noisy, clean, batch, 3, patch, none, java.util.Collections.nCopies(batch, false), java.util.Collections.nCopies(batch, "denoise"),
                java.util.Collections.nCopies(batch, null), reference);
    }

    /** Crops of the noisy photos alone (no clean target), each from a random photo, place and dihedral transform. */
    private Batch noisyBatch(SplittableRandom rng) {
        int pp = patch * patch;
        float[] noisy = new float[batch * 3 * pp], one = new float[3 * pp];
        for (int b = 0; b < batch; b++) {
            Clean photo = noisyOnly.get(rng.nextInt(noisyOnly.size()));
            crop(photo, rng.nextInt(photo.width() - patch + 1), rng.nextInt(photo.height() - patch + 1), rng.nextInt(8), one);
            for (int c = 0; c < 3; c++) System.arraycopy(one, Math.min(c, photo.channels() - 1) * pp, noisy, (b * 3 + c) * pp, pp);
        }
        List<String> none = java.util.Collections.nCopies(batch, null);
        return new Batch(noisy, null, batch, 3, patch, none, java.util.Collections.nCopies(batch, false), java.util.Collections.nCopies(batch, "denoise"));
    }

    /** A patch×patch crop at (x0, y0) under one of the 8 dihedral transforms, into {@code out} (CHW). */
    private void crop(Clean img, int x0, int y0, int transform, float[] out) { crop(img, x0, y0, transform, patch, out); }

    /**
     * The patch cropped at (x0, y0) under {@code transform} as a window of the whole image seen under the same
     * transform: a flip mirrors the window's place, a transpose swaps the frame's sides (as {@link #crop} maps pixels).
     */
    private Degradation.Window window(Clean img, int x0, int y0, int transform) {
        int x = (transform & 1) != 0 ? img.width() - x0 - patch : x0, y = (transform & 2) != 0 ? img.height() - y0 - patch : y0;
        return (transform & 4) != 0 ? new Degradation.Window(y, x, img.height(), img.width()) : new Degradation.Window(x, y, img.width(), img.height());
    }

    /** A size×size crop at (x0, y0) under one of the 8 dihedral transforms, into {@code out} (CHW). */
    private static void crop(Clean img, int x0, int y0, int transform, int size, float[] out) {
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int sx = x, sy = y;
                    if ((transform & 4) != 0) { int t = sx; sx = sy; sy = t; }
                    if ((transform & 1) != 0) sx = size - 1 - sx;
                    if ((transform & 2) != 0) sy = size - 1 - sy;
                    out[(c * size + y) * size + x] = img.at(c, x0 + sx, y0 + sy);
                }
            }
        }
    }

    private static int pick(double[] weights, SplittableRandom rng) {
        double total = 0;
        for (double w : weights) total += w;
        double r = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) return i;
        }
        return weights.length - 1;
    }
}
