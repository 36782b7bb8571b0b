package dev.lucid.metrics;

import dev.lucid.image.SeparableFilter;

/**
 * Structural similarity exactly as scikit-image's {@code structural_similarity} computes it (K1 = 0.01,
 * K2 = 0.03, mean over the region not within the window radius of the border, mean over channels):
 * <ul>
 *   <li>{@link Window#UNIFORM7}: skimage's default, a 7×7 uniform window with sample covariance (N−1);</li>
 *   <li>{@link Window#GAUSSIAN}: {@code gaussian_weights=True, sigma=1.5, use_sample_covariance=False}
 *       (Wang et al. 2004, the setting of most papers), an 11-tap Gaussian truncated at 3.5σ.</li>
 * </ul>
 * Because skimage crops the border by the window radius, only window positions fully inside the image
 * count, and the filters here run over that valid region only, in double precision.
 */
public final class Ssim {

    public enum Window { UNIFORM7, GAUSSIAN }

    private Ssim() {}

    /** Mean SSIM over channels; samples and dataRange in the same units (e.g. [0, 1] and 1.0). */
    public static double of(float[][] reference, float[][] test, int width, int height, double dataRange, Window window) {
        double sum = 0;
        for (int c = 0; c < reference.length; c++) sum += channel(reference[c], test[c], width, height, dataRange, window);
        return sum / reference.length;
    }

    /**
     * One channel, streamed a row at a time: each input row is filtered along x over the valid columns into a ring of
     * the last {@code taps} rows, for the five local sums (x, y, x², y², xy), and each output row is filtered along y
     * from that ring. Memory is five rings of taps × width doubles, whatever the image's height (a 24 MP pair needed
     * about 2 GB of whole-image buffers before); the sums are the same as filtering the whole image then cropping it.
     */
    static double channel(float[] x, float[] y, int w, int h, double range, Window window) {
        double[] k = kernel(window);
        int taps = k.length, r = taps / 2;
        int ow = w - 2 * r, oh = h - 2 * r;
        if (ow < 1 || oh < 1) throw new IllegalArgumentException("image " + w + "x" + h + " is smaller than the " + taps + "x" + taps + " SSIM window");
        double[] rx = new double[taps * ow], ry = new double[taps * ow], rxx = new double[taps * ow], ryy = new double[taps * ow], rxy = new double[taps * ow];
        double covNorm = window == Window.UNIFORM7 ? (double) (taps * taps) / (taps * taps - 1) : 1.0;
        double c1 = Math.pow(0.01 * range, 2), c2 = Math.pow(0.03 * range, 2);
        double total = 0;
        for (int row = 0; row < h; row++) {
            int slot = (row % taps) * ow, in = row * w;
            for (int ox = 0; ox < ow; ox++) {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (int t = 0; t < taps; t++) {
                    double a = x[in + ox + t], b = y[in + ox + t], kt = k[t];
                    sx += kt * a;
                    sy += kt * b;
                    sxx += kt * (a * a);
                    syy += kt * (b * b);
                    sxy += kt * (a * b);
                }
                rx[slot + ox] = sx;
                ry[slot + ox] = sy;
                rxx[slot + ox] = sxx;
                ryy[slot + ox] = syy;
                rxy[slot + ox] = sxy;
            }
            if (row < taps - 1) continue;
            int first = row - taps + 1;                        // the output row's window covers input rows first … row
            for (int ox = 0; ox < ow; ox++) {
                double ux = 0, uy = 0, uxx = 0, uyy = 0, uxy = 0;
                for (int t = 0; t < taps; t++) {
                    int i = ((first + t) % taps) * ow + ox;
                    double kt = k[t];
                    ux += kt * rx[i];
                    uy += kt * ry[i];
                    uxx += kt * rxx[i];
                    uyy += kt * ryy[i];
                    uxy += kt * rxy[i];
                }
                double vx = covNorm * (uxx - ux * ux), vy = covNorm * (uyy - uy * uy), vxy = covNorm * (uxy - ux * uy);
                total += (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
            }
        }
        return total / ((double) ow * oh);
    }

    static double[] kernel(Window window) {
        if (window == Window.UNIFORM7) {
            double[] k = new double[7];
            java.util.Arrays.fill(k, 1.0 / 7);
            return k;
        }
        double sigma = 1.5;
        return SeparableFilter.gaussian(sigma, (int) (3.5 * sigma + 0.5)); // scipy's gaussian_filter with truncate=3.5 → 11 taps
    }
}
