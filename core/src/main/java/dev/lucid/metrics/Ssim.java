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

    static double channel(float[] x, float[] y, int w, int h, double range, Window window) {
        double[] kernel = kernel(window);
        int k = kernel.length, r = k / 2;
        int ow = w - 2 * r, oh = h - 2 * r;
        if (ow < 1 || oh < 1) throw new IllegalArgumentException("image " + w + "x" + h + " is smaller than the " + k + "x" + k + " SSIM window");
        int n = w * h;
        double[] xx = new double[n], yy = new double[n], xy = new double[n], xd = new double[n], yd = new double[n];
        for (int i = 0; i < n; i++) {
            xd[i] = x[i];
            yd[i] = y[i];
            xx[i] = xd[i] * xd[i];
            yy[i] = yd[i] * yd[i];
            xy[i] = xd[i] * yd[i];
        }
        double[] ux = filter(xd, w, h, kernel), uy = filter(yd, w, h, kernel);
        double[] uxx = filter(xx, w, h, kernel), uyy = filter(yy, w, h, kernel), uxy = filter(xy, w, h, kernel);
        double covNorm = window == Window.UNIFORM7 ? (double) (k * k) / (k * k - 1) : 1.0;
        double c1 = Math.pow(0.01 * range, 2), c2 = Math.pow(0.03 * range, 2);
        double total = 0;
        for (int i = 0; i < ux.length; i++) {
            double vx = covNorm * (uxx[i] - ux[i] * ux[i]);
            double vy = covNorm * (uyy[i] - uy[i] * uy[i]);
            double vxy = covNorm * (uxy[i] - ux[i] * uy[i]);
            double a1 = 2 * ux[i] * uy[i] + c1, a2 = 2 * vxy + c2;
            double b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1, b2 = vx + vy + c2;
            total += a1 * a2 / (b1 * b2);
        }
        return total / ux.length;
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

    /** The separable filter's output on the region whose windows lie inside the image: (w−2r)×(h−2r). */
    private static double[] filter(double[] src, int w, int h, double[] k) {
        int r = k.length / 2, ow = w - 2 * r, oh = h - 2 * r;
        double[] full = SeparableFilter.apply(src, w, h, k), out = new double[ow * oh];
        for (int y = 0; y < oh; y++) System.arraycopy(full, (y + r) * w + r, out, y * ow, ow);
        return out;
    }
}
