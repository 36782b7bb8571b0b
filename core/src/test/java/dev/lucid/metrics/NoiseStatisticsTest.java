package dev.lucid.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lucid.degrade.GaussianNoise;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseStatisticsTest {

    static float[][] noisy(float[][] clean, double sigma, long seed) {
        float[][] out = new float[clean.length][];
        for (int c = 0; c < clean.length; c++) {
            out[c] = clean[c].clone();
            GaussianNoise.fixed(sigma).apply(out[c], 1, 1, out[c].length, new SplittableRandom(seed + c));
        }
        return out;
    }

    @Test
    void akldIsZeroForIdenticalNoiseAndMatchesTheGaussianKlForAVarianceRatio() {
        int w = 200, h = 150;
        float[][] clean = {new float[w * h], new float[w * h], new float[w * h]};
        for (float[] p : clean) java.util.Arrays.fill(p, 0.5f);
        float[][] real = noisy(clean, 10, 1);
        assertEquals(0, NoiseStatistics.akld(real, real, clean, w, h), 1e-12);
        float[][] twice = noisy(clean, 20, 7);
        // Local variances come from N ≈ 24.6 effective samples (7×7 Gaussian, σ = 1.4), so the estimated ratio
        // is r·F(N, N) with mean r·N/(N−2) and E[ln F] ≈ 0: AKLD ≈ 0.5 (ln(1/r) + r·N/(N−2) − 1).
        double oneD = 0, sigma = 1.4;
        double[] k = new double[7];
        for (int i = 0; i < 7; i++) oneD += k[i] = Math.exp(-Math.pow(i - 3, 2) / (2 * sigma * sigma));
        double sq = 0;
        for (double v : k) sq += (v / oneD) * (v / oneD);
        double n = 1 / (sq * sq), inflation = n / (n - 2);
        assertEquals(0.5 * (Math.log(0.25) + 4 * inflation - 1), NoiseStatistics.akld(twice, real, clean, w, h), 0.04);
        float[][] same = noisy(clean, 10, 99);
        assertEquals(0.5 * (inflation - 1), NoiseStatistics.akld(same, real, clean, w, h), 0.02);
    }

    @Test
    void ksMatchesTheNormalCdfGap() {
        int n = 300_000;
        float[][] zero = {new float[n]};
        float[][] a = NoiseStatistics.noise(noisy(zero, 12.75, 1), zero);
        float[][] b = NoiseStatistics.noise(noisy(zero, 25.5, 2), zero);
        assertEquals(0, NoiseStatistics.ks(a, a), 1e-12);
        // sup |Φ(x) − Φ(x/2)| = 0.1587 (at x = ±1.177)
        assertEquals(0.1587, NoiseStatistics.ks(a, b), 0.01);
    }
}
