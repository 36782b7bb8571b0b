package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Signal-dependent noise y = x + N(0, a·x + b²) (the heteroscedastic Gaussian approximation of Poisson shot
 * noise plus read noise), on [0, 1] samples. With ranges, a and b are drawn log-uniformly per image.
 */
public final class PoissonGaussianNoise implements Degradation {

    private final double aMin, aMax, bMin, bMax;

    public PoissonGaussianNoise(double aMin, double aMax, double bMin, double bMax) {
        if (aMin < 0 || aMax < aMin || bMin < 0 || bMax < bMin) throw new IllegalArgumentException("bad Poisson-Gaussian ranges");
        this.aMin = aMin; this.aMax = aMax; this.bMin = bMin; this.bMax = bMax;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        double a = Degradation.logUniform(aMin, aMax, rng), b = Degradation.logUniform(bMin, bMax, rng);
        for (int i = 0; i < chw.length; i++) {
            double x = Math.max(0, chw[i]);
            chw[i] = (float) (chw[i] + Math.sqrt(a * x + b * b) * Degradation.gaussian(rng));
        }
    }

    @Override
    public String describe() {
        return "poisson-gaussian:" + Degradations.rangeText(aMin, aMax) + "," + Degradations.rangeText(bMin, bMax);
    }
}
