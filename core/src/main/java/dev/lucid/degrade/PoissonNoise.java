package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Pure Poisson (shot) noise as in CLIPDenoising's test code: y = Poisson(x·10^α) / 10^α, with α drawn
 * uniformly per image from a range (the paper tests α in 2–3.5; larger α is less noise). Exact Poisson
 * samples: multiplication of uniforms for small means, Hörmann's transformed rejection with squeeze (PTRS,
 * 1993, as NumPy uses) for means of 10 and more. Recipe {@code poisson:ALPHA} or {@code poisson:A1-A2}.
 */
public final class PoissonNoise implements Degradation {

    private static final double[] LOG_FACTORIAL = new double[10];

    static {
        for (int k = 1; k < LOG_FACTORIAL.length; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
    }

    private final double alphaMin, alphaMax;

    public PoissonNoise(double alphaMin, double alphaMax) {
        if (alphaMax < alphaMin || alphaMin < 0 || alphaMax > 8) throw new IllegalArgumentException("poisson exponent must be in [0, 8], low to high");
        this.alphaMin = alphaMin;
        this.alphaMax = alphaMax;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        double peak = Math.pow(10, alphaMin + rng.nextDouble() * (alphaMax - alphaMin));
        for (int i = 0; i < chw.length; i++) chw[i] = (float) (sample(Math.max(0, chw[i]) * peak, rng) / peak);
    }

    /** One Poisson(λ) sample. */
    static long sample(double lambda, SplittableRandom rng) {
        if (lambda <= 0) return 0;
        if (lambda < 10) {
            double limit = Math.exp(-lambda), product = rng.nextDouble();
            long k = 0;
            while (product > limit) {
                product *= rng.nextDouble();
                k++;
            }
            return k;
        }
        double slam = Math.sqrt(lambda), logLambda = Math.log(lambda);
        double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5, v = rng.nextDouble(), us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * logLambda - logFactorial(k)) return k;
        }
    }

    /** log k!, exact for small k, Stirling's series otherwise (error below 1e-10 for k ≥ 10). */
    static double logFactorial(long k) {
        if (k < LOG_FACTORIAL.length) return LOG_FACTORIAL[(int) k];
        double x = k + 1.0;
        double inv = 1 / x, inv2 = inv * inv;
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
    }

    @Override
    public String describe() { return "poisson:" + Degradations.rangeText(alphaMin, alphaMax); }
}
