package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * A seeded noise model applied in place to planar float samples in [0, 1] (CHW). Implementations draw all
 * randomness from the generator they are given, so a recipe plus a seed reproduces the noisy image exactly.
 */
public interface Noise {

    void apply(float[] chw, int channels, int height, int width, SplittableRandom rng);

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
}
