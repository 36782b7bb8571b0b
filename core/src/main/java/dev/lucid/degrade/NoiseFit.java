package dev.lucid.degrade;

import dev.lucid.image.Image;
import dev.lucid.metrics.NoiseStatistics;

/**
 * The classical noise models fitted to one real noisy/clean pair, the baselines a noise synthesiser must beat
 * (NoiseTransfer, issue #17): {@code gaussian:fit} (σ of the residual), {@code poisson-gaussian:fit} (var = a·x + b²
 * by least squares over 32 intensity bins of the residual's variance) and {@code camera:fit} (the camera pipeline's
 * shot and read levels with the lowest AKLD on a centre crop, over a 6 × 6 logarithmic grid of CBDNet's ranges).
 */
public final class NoiseFit {

    public static final String SUFFIX = ":fit";
    private static final int BINS = 32, CROP = 256, GRID = 6;

    private NoiseFit() {}

    /** {@code KIND:fit}, or {@code KIND:fit@MODEL} for a recipe of another package (e.g. {@code transfer:fit@MODEL_DIR}). */
    public static boolean isFit(String recipe) { return recipe.endsWith(SUFFIX) || recipe.contains(SUFFIX + "@"); }

    /**
     * The degradation of a {@code KIND:fit} recipe fitted to the pair, with fixed levels; {@code transfer:fit} takes the
     * noisy image itself as its reference ({@link RecipeProvider#fitted}).
     */
    public static Degradation fit(String recipe, Image noisy, Image clean) {
        int at = recipe.indexOf(SUFFIX);
        String kind = recipe.substring(0, at), rest = recipe.substring(at + SUFFIX.length());
        if (rest.isEmpty()) {
            switch (kind) {
                case "gaussian": return GaussianNoise.fixed(255 * residualSigma(noisy, clean));
                case "poisson-gaussian": return poissonGaussian(noisy, clean);
                case "camera": return camera(noisy, clean);
                default: break;
            }
        }
        for (RecipeProvider provider : java.util.ServiceLoader.load(RecipeProvider.class, NoiseFit.class.getClassLoader())) {
            if (provider.kind().equals(kind)) return provider.fitted(rest, noisy);
        }
        throw new IllegalArgumentException("no fit for '" + kind + "' (fits: gaussian:fit, poisson-gaussian:fit, camera:fit, transfer:fit[@MODEL])");
    }

    static double residualSigma(Image noisy, Image clean) {
        double sum = 0, sq = 0;
        long n = 0;
        for (int c = 0; c < clean.channels(); c++) {
            float[] a = noisy.plane(c), b = clean.plane(c);
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                sum += d;
                sq += d * d;
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }

    /** Least squares of the binned residual variance against intensity: var = a·x + b², a, b² clamped at 0. */
    static PoissonGaussianNoise poissonGaussian(Image noisy, Image clean) {
        double[] count = new double[BINS], variance = new double[BINS];
        for (int c = 0; c < clean.channels(); c++) {
            float[] a = noisy.plane(c), b = clean.plane(c);
            for (int i = 0; i < a.length; i++) {
                int bin = Math.min(BINS - 1, Math.max(0, (int) (b[i] * BINS)));
                double d = a[i] - b[i];
                count[bin]++;
                variance[bin] += d * d;
            }
        }
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int k = 0; k < BINS; k++) {
            if (count[k] < 16) continue;
            double x = (k + 0.5) / BINS, y = variance[k] / count[k], w = count[k];
            sw += w;
            sx += w * x;
            sy += w * y;
            sxx += w * x * x;
            sxy += w * x * y;
        }
        double slope = (sw * sxy - sx * sy) / Math.max(1e-30, sw * sxx - sx * sx), intercept = (sy - slope * sx) / sw;
        double a = Math.max(0, slope), b2 = Math.max(1e-8, intercept);
        return new PoissonGaussianNoise(a, a, Math.sqrt(b2), Math.sqrt(b2));
    }

    /** The camera-pipeline levels whose synthetic noise has the lowest AKLD against the real noise, on a centre crop. */
    static CameraNoise camera(Image noisy, Image clean) {
        Image realCrop = crop(noisy), cleanCrop = crop(clean);
        double best = Double.POSITIVE_INFINITY, bestShot = 0, bestRead = 0;
        for (int i = 0; i < GRID; i++) {
            double shot = logStep(1e-4, 0.16, i);
            for (int j = 0; j < GRID; j++) {
                double read = logStep(1e-4, 0.06, j);
                Image synthetic = new CameraNoise(shot, shot, read, read).applyTo(cleanCrop, 17);
                double akld = NoiseStatistics.akld(synthetic.planes(), realCrop.planes(), cleanCrop.planes(), cleanCrop.width(), cleanCrop.height());
                if (akld < best) {
                    best = akld;
                    bestShot = shot;
                    bestRead = read;
                }
            }
        }
        return new CameraNoise(bestShot, bestShot, bestRead, bestRead);
    }

    private static double logStep(double lo, double hi, int i) { return lo * Math.pow(hi / lo, (double) i / (GRID - 1)); }

    private static Image crop(Image image) {
        int w = Math.min(CROP, image.width()), h = Math.min(CROP, image.height()), x0 = (image.width() - w) / 2, y0 = (image.height() - h) / 2;
        float[][] planes = new float[image.channels()][w * h];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < h; y++) System.arraycopy(image.plane(c), (y0 + y) * image.width() + x0, planes[c], y * w, w);
        }
        return new Image(w, h, planes, null, image.bitDepth(), image.encoding(), image.sourceFormat());
    }
}
