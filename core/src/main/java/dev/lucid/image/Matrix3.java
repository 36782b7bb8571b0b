package dev.lucid.image;

/** 3 × 3 colour matrices, row-major: the camera, XYZ and sRGB conversions of raw images. */
public final class Matrix3 {

    private Matrix3() {}

    /** Linear sRGB (D65) → XYZ. */
    public static final double[] SRGB_TO_XYZ = {0.412453, 0.357580, 0.180423, 0.212671, 0.715160, 0.072169, 0.019334, 0.119193, 0.950227};

    public static double[] multiply(double[] a, double[] b) {
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) for (int k = 0; k < 3; k++) m[3 * r + c] += a[3 * r + k] * b[3 * k + c];
        return m;
    }

    public static double[] invert(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        if (Math.abs(det) < 1e-12) throw new IllegalArgumentException("the colour matrix is singular");
        return new double[] {
            (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
            (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
            (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det};
    }
}
