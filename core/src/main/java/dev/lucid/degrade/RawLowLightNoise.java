package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * The low-light raw noise of "Tell Me What You See" (see METHODS.md): on linear raw values,
 * y = x + N(0, x·shot + read), with log10(shot) ~ U(log10 0.1, log10 0.31) and
 * log10(read) = 1.5·log10(shot) + 0.05 + N(0, 0.5²) (0.5 taken as a standard deviation), or fixed levels
 * ({@code raw-lowlight:SHOT,READ}). Applied to an sRGB image, the image is unprocessed to a raw mosaic by
 * {@link CameraPipeline}, noised there, and processed back; {@link #addTo} noises raw data directly (the
 * packed 4-channel raw that Tell-Me's network sees, see {@link CameraPipeline#pack}).
 */
public final class RawLowLightNoise implements Degradation {

    private final Double shot, read;

    public RawLowLightNoise(Double shot, Double read) {
        this.shot = shot;
        this.read = read;
    }

    /** (shot, read) drawn as the paper does. */
    public static double[] sampleLevels(SplittableRandom rng) {
        double logShot = Math.log10(0.1) + rng.nextDouble() * (Math.log10(0.31) - Math.log10(0.1));
        double logRead = 1.5 * logShot + 0.05 + 0.5 * Degradation.gaussian(rng);
        return new double[] {Math.pow(10, logShot), Math.pow(10, logRead)};
    }

    /** y = x + √(max(0, x·shot + read)) · N(0, 1), in place on linear raw values. */
    public static void addTo(float[] raw, double shot, double read, SplittableRandom rng) {
        for (int i = 0; i < raw.length; i++) {
            double variance = Math.max(0, raw[i] * shot + read);
            raw[i] = (float) (raw[i] + Math.sqrt(variance) * Degradation.gaussian(rng));
        }
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        CameraPipeline.noiseOnRaw(chw, channels, height, width, rng, (raw, r) -> {
            double[] levels = shot != null ? new double[] {shot, read} : sampleLevels(r);
            addTo(raw, levels[0], levels[1], r);
        });
    }

    /**
     * A raw capture of a clean sRGB image by a random camera (seeded): unprocessed to its mosaic, this noise added,
     * packed to 4 half-size planes with the camera's {@link dev.lucid.image.RawInfo} (for a DNG). Odd sides lose
     * their last row or column.
     */
    public dev.lucid.image.Image capture(dev.lucid.image.Image clean, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int w = clean.width() & ~1, h = clean.height() & ~1, n = w * h;
        if (w < 2 || h < 2) throw new IllegalArgumentException("a raw capture needs at least 2x2 pixels, got " + clean.width() + "x" + clean.height());
        float[] rgb = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) rgb[c * n + y * w + x] = clean.get(Math.min(c, clean.channels() - 1), x, y);
        }
        CameraPipeline camera = CameraPipeline.random(rng);
        float[] mosaic = camera.unprocess(rgb, h, w);
        double[] levels = shot != null ? new double[] {shot, read} : sampleLevels(rng);
        addTo(mosaic, levels[0], levels[1], rng);
        float[] packed = camera.pack(mosaic, h, w);
        int plane = n / 4;
        float[][] planes = new float[4][];
        for (int p = 0; p < 4; p++) planes[p] = java.util.Arrays.copyOfRange(packed, p * plane, (p + 1) * plane);
        return new dev.lucid.image.Image(w / 2, h / 2, planes, null, 16, dev.lucid.image.Image.Encoding.LINEAR, "raw", camera.rawInfo());
    }

    @Override
    public String describe() {
        return shot == null ? "raw-lowlight" : "raw-lowlight:" + shot + "," + read;
    }
}
