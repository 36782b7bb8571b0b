package dev.lucid.degrade;

import dev.lucid.image.Image;

/**
 * Estimates the standard deviation of additive white noise from the image alone (Immerkær, "Fast noise
 * variance estimation", 1996): the 3×3 mask [1 −2 1; −2 4 −2; 1 −2 1] cancels smooth content and
 * σ ≈ √(π/2) / (6 (W−2)(H−2)) Σ |I ∗ M|, averaged over colour channels. Used by non-blind peers when
 * σ is not given; it overestimates on heavily textured images.
 */
public final class NoiseLevel {

    private NoiseLevel() {}

    /** σ in 8-bit units (0–255 scale). */
    public static double estimate(Image image) {
        int w = image.width(), h = image.height();
        if (w < 3 || h < 3) return 0;
        double total = 0;
        for (int c = 0; c < image.channels(); c++) {
            float[] p = image.plane(c);
            double sum = 0;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int i = y * w + x;
                    double v = p[i - w - 1] - 2 * p[i - w] + p[i - w + 1]
                            - 2 * p[i - 1] + 4 * p[i] - 2 * p[i + 1]
                            + p[i + w - 1] - 2 * p[i + w] + p[i + w + 1];
                    sum += Math.abs(v);
                }
            }
            total += Math.sqrt(Math.PI / 2) * sum / (6.0 * (w - 2) * (h - 2));
        }
        return 255 * total / image.channels();
    }

    /** Side of the blocks {@link #correlation} reads, and the share of the flattest blocks it keeps. */
    private static final int BLOCK = 16;
    private static final double FLATTEST = 0.1;

    /**
     * The noise's standard deviation σ (8-bit units) and its correlation between pixels 1, 2 and 3 apart, read from
     * the image alone; {@code blocks} of 16² pixels were read (0: none was usable, the lags are 0). {@code chromaLag1}
     * is the correlation 1 pixel apart of the colour-difference noise (R − G, B − G) of a colour image, NaN for others
     * and where no block of it is free of clipping.
     */
    public record Correlation(double sigma, double lag1, double lag2, double lag3, int blocks, double chromaLag1) {
        /**
         * The pixel-shuffle stride ({@link dev.lucid.image.PixelShuffle}) for this noise: 2 when it is strong (σ ≥ 4) and
         * correlated between neighbours (lag 1 ≥ 0.2) but hardly 2 pixels apart (lag 2 ≤ 0.15), as demosaiced phone
         * noise (SIDD sample: σ 9.5, 0.36, 0.02; lucid-real gains 6.8 dB there from the stride alone); else 1 —
         * pixel-independent noise needs none, low-frequency noise (PolyU's cameras: 0.66, 0.30) is not whitened by it,
         * and weak noise gains less than the stride loses in detail: on PolyU's training scenes (the validation for
         * this rule) the four photos with σ 2.2–3.0 that the correlation alone sent to stride 2 lost 0.6–5.2 dB.
         * <p>A colour image also needs correlated colour-difference noise (chroma lag 1 ≥ 0.3): fine texture left in
         * the flattest blocks of a busy photo correlates neighbours as demosaicing does, but it is nearly the same in
         * R, G and B, so R − G and B − G keep only the noise. Demosaiced noise is blotchy in colour (SIDD's photos sent
         * to stride 2: chroma lag 1 0.49–0.64), white noise is not (CBSD432 at σ = 5 and 15: at most 0.11), while 19 %
         * of CBSD432's photos at σ = 5 and 2 % at σ = 15 passed the other tests and lost detail to the stride.
         */
        public int shuffleStride() {
            boolean neighboursOnly = blocks > 0 && sigma >= 4 && lag1 >= 0.2 && lag2 <= 0.15;
            return neighboursOnly && (Double.isNaN(chromaLag1) || chromaLag1 >= 0.3) ? 2 : 1;
        }
    }

    /**
     * Reads the noise of the flattest tenth of the image's 16² blocks (no clipped pixel), per channel, after a plane
     * (mean and gradients) is taken out of each: what is left there is mostly noise. Its autocorrelation at 1, 2 and 3
     * pixels, horizontal and vertical, tells demosaiced camera noise (correlated between neighbours only) from
     * pixel-independent noise (all near 0) and from low-frequency noise (still correlated 2 and 3 apart). Checked on
     * the SIDD sample (lag 1: 0.36, 2: 0.02 here; from clean references 0.49, 0.11) and PolyU's test photos
     * (0.66, 0.30; references 0.68, 0.41): the plane fit and the choice of flat blocks bias it low.
     */
    public static Correlation correlation(Image image) {
        int channels = image.channels();
        int[][] own = new int[channels][];
        for (int c = 0; c < channels; c++) own[c] = new int[] {c};
        Lags noise = lags(image, own);
        Lags chroma = channels == 3 ? lags(image, new int[][] {{0, 1}, {2, 1}}) : Lags.NONE;
        // NaN when unknown: a gray image, or a dark one clipped somewhere in every block of R − G and B − G
        double chromaLag1 = chroma.blocks() > 0 ? chroma.lag1() : Double.NaN;
        return new Correlation(255 * Math.sqrt(noise.variance()), noise.lag1(), noise.lag2(), noise.lag3(), noise.blocks(), chromaLag1);
    }

    /** What {@link #lags} read: the residuals' variance, their correlation 1, 2 and 3 pixels apart, and how many blocks. */
    private record Lags(double variance, double lag1, double lag2, double lag3, int blocks) {
        static final Lags NONE = new Lags(0, 0, 0, 0, 0);
    }

    /**
     * The noise read from the flattest tenth of the 16² blocks (none with a clipped
     * pixel) of each plane in {@code planes}: {c} is channel c, {a, b} the difference of channels a and b.
     */
    private static Lags lags(Image image, int[][] planes) {
        int w = image.width(), across = w / BLOCK, down = image.height() / BLOCK, count = planes.length * across * down;
        if (count == 0) return Lags.NONE;
        // two passes, so a 24-megapixel photo needs one number per block, not its residuals: energies, then lags
        double[] energy = new double[count];
        double[] residual = new double[BLOCK * BLOCK];
        int usable = 0;
        for (int k = 0; k < count; k++) {
            energy[k] = planeResidual(image, planes, k, across, down, residual);
            if (!Double.isNaN(energy[k])) usable++;
        }
        if (usable == 0) return Lags.NONE;
        double[] sorted = java.util.Arrays.stream(energy).filter(e -> !Double.isNaN(e)).sorted().toArray();
        int n = Math.max(1, (int) (usable * FLATTEST));
        double limit = sorted[n - 1];
        double[] sum = new double[4];
        int kept = 0;
        for (int k = 0; k < count && kept < n; k++) {
            if (Double.isNaN(energy[k]) || energy[k] > limit) continue;
            planeResidual(image, planes, k, across, down, residual);
            kept++;
            for (int d = 0; d < 4; d++) {
                for (int y = 0; y < BLOCK; y++) {
                    for (int x = 0; x < BLOCK; x++) {
                        if (x + d < BLOCK) sum[d] += residual[y * BLOCK + x] * residual[y * BLOCK + x + d];
                        if (d > 0 && y + d < BLOCK) sum[d] += residual[y * BLOCK + x] * residual[(y + d) * BLOCK + x];
                    }
                }
            }
        }
        double variance = sum[0] / (kept * BLOCK * BLOCK);
        double[] lag = new double[4];
        for (int d = 1; d < 4; d++) lag[d] = variance == 0 ? 0 : sum[d] / (kept * 2.0 * BLOCK * (BLOCK - d)) / variance;
        return new Lags(variance, lag[1], lag[2], lag[3], kept);
    }

    /**
     * Block k of {@code planes} (as in {@link #lags}; plane-major, then rows of blocks) less its plane (mean and
     * gradients), into {@code residual}; returns its energy, or NaN when a pixel of a channel it reads is clipped there
     * (no noise to read).
     */
    private static double planeResidual(Image image, int[][] planes, int k, int across, int down, double[] residual) {
        int w = image.width(), bx = (k % across) * BLOCK, by = (k / across % down) * BLOCK;
        int[] source = planes[k / (across * down)];
        float[] p = image.plane(source[0]), q = source.length > 1 ? image.plane(source[1]) : null;
        for (int y = 0; y < BLOCK; y++) {
            for (int x = 0; x < BLOCK; x++) {
                int i = (by + y) * w + bx + x;
                if (p[i] <= 0.002 || p[i] >= 0.998 || q != null && (q[i] <= 0.002 || q[i] >= 0.998)) return Double.NaN;
                residual[y * BLOCK + x] = q == null ? p[i] : p[i] - q[i];
            }
        }
        double cx = (BLOCK - 1) / 2.0, sxx = 0, mean = 0, gx = 0, gy = 0;
        for (int x = 0; x < BLOCK; x++) sxx += BLOCK * (x - cx) * (x - cx);
        for (int y = 0; y < BLOCK; y++) {
            for (int x = 0; x < BLOCK; x++) {
                double v = residual[y * BLOCK + x];
                mean += v;
                gx += v * (x - cx);
                gy += v * (y - cx);
            }
        }
        mean /= BLOCK * BLOCK;
        gx /= sxx;
        gy /= sxx;
        double energy = 0;
        for (int y = 0; y < BLOCK; y++) {
            for (int x = 0; x < BLOCK; x++) {
                double v = residual[y * BLOCK + x] - mean - gx * (x - cx) - gy * (y - cx);
                residual[y * BLOCK + x] = v;
                energy += v * v;
            }
        }
        return energy;
    }
}
