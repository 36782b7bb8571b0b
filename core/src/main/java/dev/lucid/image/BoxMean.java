package dev.lucid.image;

/** The mean of a plane over a square window, (2r + 1)² pixels clipped to the plane, by a summed-area table. */
public final class BoxMean {

    private BoxMean() {}

    /** The box mean of the plane v (w × h, row-major) at radius r. */
    public static double[] of(double[] v, int w, int h, int r) {
        double[] sum = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int x = 0; x < w; x++) {
                row += v[y * w + x];
                sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
            }
        }
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1);
                double s = sum[y1 * (w + 1) + x1] - sum[y0 * (w + 1) + x1] - sum[y1 * (w + 1) + x0] + sum[y0 * (w + 1) + x0];
                out[y * w + x] = s / ((double) (y1 - y0) * (x1 - x0));
            }
        }
        return out;
    }
}
