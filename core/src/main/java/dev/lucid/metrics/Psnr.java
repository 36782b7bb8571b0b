package dev.lucid.metrics;

/** Peak signal-to-noise ratio in dB over planar samples, for a given data range (1.0 for [0, 1] floats). */
public final class Psnr {

    private Psnr() {}

    public static double of(float[][] reference, float[][] test, double dataRange) {
        double sum = 0;
        long n = 0;
        for (int c = 0; c < reference.length; c++) {
            float[] a = reference[c], b = test[c];
            if (a.length != b.length) throw new IllegalArgumentException("images differ in size");
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                sum += d * d;
            }
            n += a.length;
        }
        double mse = sum / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / mse);
    }
}
