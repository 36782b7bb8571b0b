package dev.lucid.degrade;

import dev.lucid.image.Image;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The low-light raw noise of "Tell Me What You See" (see METHODS.md): on linear raw values,
 * y = x + N(0, x·shot + read), with log10(shot) ~ U(log10 0.1, log10 0.31) and
 * log10(read) = 1.5·log10(shot) + 0.05 + N(0, 0.5²) (0.5 taken as a standard deviation) — recipe {@code raw-lowlight};
 * {@code raw-lowlight:SHOT} fixes the shot level and takes the read level on the relation's centre line (the light
 * levels of the paper's tables); {@code raw-lowlight:SHOT,READ} fixes both, and ranges {@code S1-S2,R1-R2} draw each
 * log-uniformly (a simulated camera's noise profile). Applied to an sRGB image, the image is unprocessed to a raw
 * mosaic by {@link CameraPipeline}, noised there, and processed back; {@link #addToRaw} noises a mosaic directly, and
 * {@link #capture} makes the packed 4-plane raw image Tell-Me's network sees.
 */
public final class RawLowLightNoise implements Degradation {

    private final LevelRange shot, read;             // both null: the paper's joint draw; read null: on the relation

    /** The paper's draw of (shot, read) per image. */
    public static RawLowLightNoise paper() { return new RawLowLightNoise(null, null); }

    private RawLowLightNoise(LevelRange shot, LevelRange read) {
        this.shot = shot;
        this.read = read;
    }

    /** Fixed or log-uniform shot and read levels (variance coefficients); {@code read} null: the paper's relation to the shot level. */
    public static RawLowLightNoise of(double shotLo, double shotHi, Double readLo, Double readHi) {
        return new RawLowLightNoise(new LevelRange("shot", shotLo, shotHi), readLo == null ? null : new LevelRange("read", readLo, readHi));
    }

    /** The read level on the centre line of the paper's relation: log10(read) = 1.5·log10(shot) + 0.05. */
    public static double readOnRelation(double shot) { return Math.pow(10, 1.5 * Math.log10(shot) + 0.05); }

    /** (shot, read) drawn as the paper does. */
    public static double[] sampleLevels(SplittableRandom rng) {
        double logShot = Math.log10(0.1) + rng.nextDouble() * (Math.log10(0.31) - Math.log10(0.1));
        double logRead = 1.5 * logShot + 0.05 + 0.5 * Degradation.gaussian(rng);
        return new double[] {Math.pow(10, logShot), Math.pow(10, logRead)};
    }

    /** The (shot, read) levels of one image. */
    public double[] levels(SplittableRandom rng) {
        if (shot == null) return sampleLevels(rng);
        double s = Degradation.logUniform(shot.min(), shot.max(), rng);
        return new double[] {s, read == null ? readOnRelation(s) : Degradation.logUniform(read.min(), read.max(), rng)};
    }

    /** y = x + √(max(0, x·shot + read)) · N(0, 1), in place on linear raw values. */
    public static void addTo(float[] raw, double shot, double read, SplittableRandom rng) {
        for (int i = 0; i < raw.length; i++) {
            double variance = Math.max(0, raw[i] * shot + read);
            raw[i] = (float) (raw[i] + Math.sqrt(variance) * Degradation.gaussian(rng));
        }
    }

    /** This noise, at levels drawn for this image, added in place to a linear raw mosaic. */
    public void addToRaw(float[] mosaic, SplittableRandom rng) {
        double[] l = levels(rng);
        addTo(mosaic, l[0], l[1], rng);
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        CameraPipeline.noiseOnRaw(chw, channels, height, width, rng, this::addToRaw);
    }

    /** A clean packed raw image and its noisy capture, both 4 half-size planes with the camera's {@link dev.lucid.image.RawInfo}. */
    public record Capture(Image clean, Image noisy) {}

    /**
     * A raw capture of a clean sRGB image (1 or 3 channels) by {@code camera}, or by a random camera drawn from the seed
     * when it is null: unprocessed to its mosaic and packed (the clean raw), and with this noise added (the noisy raw).
     * Odd sides lose their last row or column.
     */
    public Capture capture(Image clean, CameraPipeline camera, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int w = clean.width() & ~1, h = clean.height() & ~1, n = w * h;
        if (w < 2 || h < 2) throw new IllegalArgumentException("a raw capture needs at least 2x2 pixels, got " + clean.width() + "x" + clean.height());
        float[] rgb = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) rgb[c * n + y * w + x] = clean.get(Math.min(c, clean.channels() - 1), x, y);
        }
        CameraPipeline shooting = camera != null ? camera : CameraPipeline.random(rng);
        float[][] packed = capture(rgb, h, w, shooting, rng);
        return new Capture(image(shooting, packed[0], w, h), image(shooting, packed[1], w, h));
    }

    /**
     * The raw capture a raw recipe makes of a clean sRGB image: {@code raw-lowlight…} by a random camera drawn from the
     * seed, {@code raw-camera:FILE} by its camera with its noise.
     * @throws IllegalArgumentException for any other recipe
     */
    public static Capture capture(Degradation recipe, Image clean, long seed) {
        if (recipe instanceof SimulatedCamera camera) return camera.noise().capture(clean, camera.pipeline(), seed);
        if (recipe instanceof RawLowLightNoise noise) return noise.capture(clean, null, seed);
        throw new IllegalArgumentException("a raw capture needs a raw noise recipe (raw-lowlight or raw-camera:FILE), not " + recipe.describe());
    }

    /** Whether a recipe makes raw captures (see {@link #capture(Degradation, Image, long)}). */
    public static boolean isRaw(Degradation recipe) { return recipe instanceof RawLowLightNoise || recipe instanceof SimulatedCamera; }

    /** The noisy raw capture of a clean sRGB image by a random camera drawn from the seed (see {@link #capture(Image, CameraPipeline, long)}). */
    public Image capture(Image clean, long seed) { return capture(clean, null, seed).noisy(); }

    /**
     * The packed clean raw and its noisy capture ({4·(h/2)·(w/2)} each, planes R, G1, G2, B) of sRGB planes (CHW, 3
     * channels, even h and w) shot by {@code camera}, the noise drawn from {@code rng}.
     */
    public float[][] capture(float[] rgb, int h, int w, CameraPipeline camera, SplittableRandom rng) {
        float[] mosaic = camera.unprocess(rgb, h, w), noisy = mosaic.clone();
        addToRaw(noisy, rng);
        return new float[][] {camera.pack(mosaic, h, w), camera.pack(noisy, h, w)};
    }

    private static Image image(CameraPipeline camera, float[] flat, int w, int h) {
        int plane = w * h / 4;
        float[][] planes = new float[4][];
        for (int p = 0; p < 4; p++) planes[p] = Arrays.copyOfRange(flat, p * plane, (p + 1) * plane);
        return new Image(w / 2, h / 2, planes, null, 16, Image.Encoding.LINEAR, "raw", camera.rawInfo());
    }

    @Override
    public String describe() {
        if (shot == null) return "raw-lowlight";
        return "raw-lowlight:" + shot.text() + (read == null ? "" : "," + read.text());
    }
}
