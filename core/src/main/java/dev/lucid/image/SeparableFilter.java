package dev.lucid.image;

/**
 * A plane convolved with one 1-D kernel along its rows, then along its columns, in double precision, with Lucid's one
 * border rule ({@link Tiler#reflect}). Used for Gaussian windows (SSIM, local noise variance), blurs (rain streaks, the
 * unsharp mask's binomial blur, the correlated noise's box filter) and the NoiseTransfer loss's Gaussian taps.
 */
public final class SeparableFilter {

    private SeparableFilter() {}

    /** The Gaussian e^(−k²/2σ²) for k = −radius … radius, normalised to sum 1. */
    public static double[] gaussian(double sigma, int radius) {
        double[] taps = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) sum += taps[k + radius] = Math.exp(-0.5 * k * k / (sigma * sigma));
        for (int i = 0; i < taps.length; i++) taps[i] /= sum;
        return taps;
    }

    /** The plane v (w × h, row-major) filtered by the odd-length kernel taps along both axes. */
    public static double[] apply(double[] v, int w, int h, double[] taps) {
        int r = taps.length / 2;
        double[] rows = new double[w * h], out = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int t = -r; t <= r; t++) s += taps[t + r] * v[y * w + Tiler.reflect(x + t, w)];
                rows[y * w + x] = s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int t = -r; t <= r; t++) s += taps[t + r] * rows[Tiler.reflect(y + t, h) * w + x];
                out[y * w + x] = s;
            }
        }
        return out;
    }
}
