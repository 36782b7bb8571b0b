package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Atmospheric scattering, I = J·t + A·(1 − t) with transmission t = exp(−β·d). Without a depth map, the
 * depth d ∈ [0, 1] is synthesised: farther towards the top of the frame, plus a smooth random field
 * (sum of a few low-frequency cosines), both over the whole frame: a training patch gets the haze of its part of
 * the image, not a whole frame's depth range squeezed into it. The airlight A is grey-white, drawn from [0.7, 1.0].
 */
public final class Haze implements Degradation {

    private final LevelRange beta;

    /** Thickness β fixed, or drawn per image from [min, max]. */
    public Haze(double min, double max) {
        if (min <= 0) throw new IllegalArgumentException("haze beta must be positive");
        this.beta = new LevelRange("haze beta", min, max);
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        apply(chw, channels, height, width, new Window(0, 0, width, height), rng);
    }

    /** The depth of each pixel is that of its place in the window's frame. */
    @Override
    public void apply(float[] chw, int channels, int height, int width, Window window, SplittableRandom rng) {
        int n = height * width;
        double beta = this.beta.draw(rng);
        double airlight = 0.7 + 0.3 * rng.nextDouble();
        double[][] waves = new double[4][4];
        for (double[] wave : waves) {
            wave[0] = 0.5 + 2 * rng.nextDouble();
            wave[1] = 0.5 + 2 * rng.nextDouble();
            wave[2] = 2 * Math.PI * rng.nextDouble();
            wave[3] = 0.05 + 0.05 * rng.nextDouble();
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = (double) (window.x() + x) / window.frameWidth(), v = (double) (window.y() + y) / window.frameHeight();
                double depth = 1 - 0.8 * v;
                for (double[] wave : waves) depth += wave[3] * Math.cos(2 * Math.PI * (wave[0] * u + wave[1] * v) + wave[2]);
                depth = Math.min(1, Math.max(0, depth));
                float t = (float) Math.exp(-beta * depth);
                for (int c = 0; c < channels; c++) {
                    int i = c * n + y * width + x;
                    chw[i] = (float) (chw[i] * t + airlight * (1 - t));
                }
            }
        }
    }

    @Override
    public String task() { return "dehaze"; }

    @Override
    public String describe() { return "haze:" + beta.text(); }
}
