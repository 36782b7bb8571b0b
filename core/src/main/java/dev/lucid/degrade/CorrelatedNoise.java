package dev.lucid.degrade;

import dev.lucid.image.Tiler;
import java.util.SplittableRandom;

/**
 * Spatially correlated Gaussian noise as in the CLIPDenoising out-of-distribution tests: i.i.d. Gaussian
 * noise of σ (8-bit units, fixed or uniform in a range) convolved with a 3×3 box filter (mirrored borders).
 */
public final class CorrelatedNoise implements Degradation {

    private final double sigmaMin, sigmaMax;

    public CorrelatedNoise(double sigmaMin, double sigmaMax) {
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        double sigma = (sigmaMin + rng.nextDouble() * (sigmaMax - sigmaMin)) / 255.0;
        int n = height * width;
        float[] white = new float[n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) white[i] = (float) (sigma * Degradation.gaussian(rng));
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) sum += white[Tiler.reflect(y + dy, height) * width + Tiler.reflect(x + dx, width)];
                    }
                    chw[c * n + y * width + x] += (float) (sum / 9);
                }
            }
        }
    }

    @Override
    public String describe() {
        return "correlated:" + GaussianNoise.fmt(sigmaMin) + (sigmaMax != sigmaMin ? "-" + GaussianNoise.fmt(sigmaMax) : "");
    }
}
