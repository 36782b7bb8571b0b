package dev.lucid.metrics;

import dev.lucid.image.SeparableFilter;

/**
 * How close generated noise is to real noise (NoiseTransfer, DANet, C2N report these):
 * <ul>
 *   <li>{@link #akld}: the KL divergence between zero-mean Gaussians whose variances are the local noise
 *       variances (squared error to the clean image smoothed by a 7×7 Gaussian, σ = 1.4 as OpenCV picks for
 *       that size, mirrored borders), with the variance ratio clamped to [0.1, 10], averaged over pixels
 *       and channels — DANet's definition. Lower is better; 0 for identical noise.</li>
 *   <li>{@link #ks}: the two-sample Kolmogorov–Smirnov statistic of the noise values, from 256-bin
 *       histograms over [−1, 1] (values outside are ignored), each normalised by its own count.</li>
 * </ul>
 * Samples are planar floats in [0, 1] units.
 */
public final class NoiseStatistics {

    private static final int WINDOW = 7;
    private static final double SIGMA = 0.3 * ((WINDOW - 1) * 0.5 - 1) + 0.8;

    private NoiseStatistics() {}

    /** AKLD of one image: generated noisy vs real noisy, both against the same clean image. */
    public static double akld(float[][] generated, float[][] real, float[][] clean, int width, int height) {
        double sum = 0;
        long count = 0;
        for (int c = 0; c < clean.length; c++) {
            double[] vg = localVariance(generated[c], clean[c], width, height);
            double[] vr = localVariance(real[c], clean[c], width, height);
            for (int i = 0; i < vg.length; i++) {
                double ratio = Math.min(10, Math.max(0.1, vg[i] / vr[i]));
                sum += Math.log(1 / ratio) + ratio - 1;
                count++;
            }
        }
        return 0.5 * sum / count;
    }

    /** KS statistic between two sets of noise values (noisy − clean), in [0, 1] units. */
    public static double ks(float[][] noiseA, float[][] noiseB) {
        double[] a = histogram(noiseA), b = histogram(noiseB);
        double ca = 0, cb = 0, max = 0;
        for (int i = 0; i < a.length; i++) {
            ca += a[i];
            cb += b[i];
            max = Math.max(max, Math.abs(ca - cb));
        }
        return max;
    }

    /** noisy − clean, per plane. */
    public static float[][] noise(float[][] noisy, float[][] clean) {
        float[][] out = new float[noisy.length][];
        for (int c = 0; c < noisy.length; c++) {
            out[c] = new float[noisy[c].length];
            for (int i = 0; i < out[c].length; i++) out[c][i] = noisy[c][i] - clean[c][i];
        }
        return out;
    }

    private static double[] histogram(float[][] values) {
        int bins = 256;
        double[] h = new double[bins];
        long n = 0;
        for (float[] plane : values) {
            for (float v : plane) {
                if (v < -1 || v > 1) continue;
                h[Math.min(bins - 1, (int) ((v + 1) / 2 * bins))]++;
                n++;
            }
        }
        for (int i = 0; i < bins; i++) h[i] /= Math.max(1, n);
        return h;
    }

    static double[] localVariance(float[] noisy, float[] clean, int w, int h) {
        double[] err = new double[w * h];
        for (int i = 0; i < err.length; i++) {
            double d = noisy[i] - clean[i];
            err[i] = d * d;
        }
        double[] out = SeparableFilter.apply(err, w, h, SeparableFilter.gaussian(SIGMA, WINDOW / 2));
        for (int i = 0; i < out.length; i++) out[i] = Math.max(1e-10, out[i]);
        return out;
    }

}
