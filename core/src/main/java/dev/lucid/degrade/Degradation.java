package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * A seeded degradation (noise, rain, haze) applied in place to planar float samples in [0, 1] (CHW).
 * Implementations draw all randomness from the generator they are given, so a recipe plus a seed
 * reproduces the degraded image exactly.
 */
public interface Degradation {

    void apply(float[] chw, int channels, int height, int width, SplittableRandom rng);

    /**
     * Where a training patch lies in the image it was cut from: the window at (x, y) of a frame of frameWidth ×
     * frameHeight pixels, in the patch's own orientation.
     */
    record Window(int x, int y, int frameWidth, int frameHeight) {}

    /**
     * This degradation on a window of a larger frame. Only a degradation whose look depends on where a pixel lies
     * in the frame (haze, thicker towards the top) uses the window; so a patch is degraded as its part of the whole
     * image would be, the scale a restorer meets on whole photos. The others degrade the samples alone.
     */
    default void apply(float[] chw, int channels, int height, int width, Window window, SplittableRandom rng) {
        apply(chw, channels, height, width, rng);
    }

    /** A noisy copy of an image (alpha untouched), reproducible from the seed. Samples are not clipped. */
    default dev.lucid.image.Image applyTo(dev.lucid.image.Image image, long seed) {
        int n = (int) image.pixels(), c = image.channels();
        float[] chw = new float[c * n];
        for (int i = 0; i < c; i++) System.arraycopy(image.plane(i), 0, chw, i * n, n);
        apply(chw, c, image.height(), image.width(), new SplittableRandom(seed));
        float[][] planes = new float[c][n];
        for (int i = 0; i < c; i++) System.arraycopy(chw, i * n, planes[i], 0, n);
        return image.withPlanes(planes);
    }

    /** The task of an image with nothing to undo (recipe {@code none}): a multi-task model learns to recognise it. */
    String NO_TASK = "none";

    /** The restoration task that undoes this degradation: denoise, derain, dehaze, or none. */
    default String task() { return "denoise"; }

    /** A short description for logs and model cards, e.g. "gaussian:25". */
    String describe();

    /** Standard normal sample (Box–Muller polar form on the given generator, so it is reproducible). */
    static double gaussian(SplittableRandom rng) {
        double u, v, s;
        do {
            u = rng.nextDouble() * 2 - 1;
            v = rng.nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    /** A level drawn log-uniformly from [lo, hi] (uniformly when lo is 0); a fixed level (lo == hi) draws nothing. */
    static double logUniform(double lo, double hi, SplittableRandom rng) {
        if (lo == hi) return lo;
        if (lo == 0) return rng.nextDouble() * hi;
        return Math.exp(Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }
}
