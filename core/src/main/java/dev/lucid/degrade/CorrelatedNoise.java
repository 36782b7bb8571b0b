package dev.lucid.degrade;

import dev.lucid.image.SeparableFilter;
import java.util.SplittableRandom;

/**
 * Spatially correlated Gaussian noise as in the CLIPDenoising out-of-distribution tests: i.i.d. Gaussian
 * noise of σ (8-bit units, fixed or uniform in a range) convolved with a 3×3 box filter (mirrored borders).
 */
public final class CorrelatedNoise implements Degradation {

    private static final double[] BOX3 = {1 / 3.0, 1 / 3.0, 1 / 3.0};

    private final double sigmaMin, sigmaMax;

    public CorrelatedNoise(double sigmaMin, double sigmaMax) {
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        double sigma = (sigmaMin + rng.nextDouble() * (sigmaMax - sigmaMin)) / 255.0;
        int n = height * width;
        double[] white = new double[n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) white[i] = (float) (sigma * Degradation.gaussian(rng));
            double[] box = SeparableFilter.apply(white, width, height, BOX3);
            for (int i = 0; i < n; i++) chw[c * n + i] += (float) box[i];
        }
    }

    @Override
    public String describe() {
        return "correlated:" + GaussianNoise.fmt(sigmaMin) + (sigmaMax != sigmaMin ? "-" + GaussianNoise.fmt(sigmaMax) : "");
    }
}
