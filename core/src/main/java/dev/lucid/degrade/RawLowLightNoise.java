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

    @Override
    public String describe() {
        return shot == null ? "raw-lowlight" : "raw-lowlight:" + shot + "," + read;
    }
}
