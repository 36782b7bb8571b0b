package dev.lucid.metrics;

/**
 * The Fréchet distance between Gaussians fitted to two sets of feature vectors (FID when the features are
 * Inception pool features): ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr (Σ₁ Σ₂)^½, with sample covariances (N − 1).
 * Tr (Σ₁ Σ₂)^½ is computed as Σ √λ of S Σ₂ S where S = Σ₁^½, both from symmetric eigendecompositions
 * (Householder tridiagonalisation and implicit QL), which stays real and stable where a general matrix
 * square root would not.
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /** a: [N1][D], b: [N2][D]. */
    public static double of(double[][] a, double[][] b) {
        int d = a[0].length;
        double[] mu1 = mean(a), mu2 = mean(b);
        double[][] c1 = covariance(a, mu1), c2 = covariance(b, mu2);
        double meanTerm = 0, trace = 0;
        for (int i = 0; i < d; i++) {
            meanTerm += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
            trace += c1[i][i] + c2[i][i];
        }
        return meanTerm + trace - 2 * traceSqrtProduct(c1, c2);
    }

    static double traceSqrtProduct(double[][] c1, double[][] c2) {
        int n = c1.length;
        double[][] v = copy(c1);
        double[] w = new double[n];
        symmetricEigen(v, w);
        double[][] s = new double[n][n];                              // S = V diag(√w) Vᵀ
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += v[i][k] * Math.sqrt(Math.max(0, w[k])) * v[j][k];
                s[i][j] = sum;
            }
        }
        double[][] m = multiply(multiply(s, c2), s);
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) m[i][j] = m[j][i] = 0.5 * (m[i][j] + m[j][i]);
        double[] lambda = new double[n];
        symmetricEigen(m, lambda);
        double t = 0;
        for (double l : lambda) t += Math.sqrt(Math.max(0, l));
        return t;
    }

    private static double[] mean(double[][] x) {
        double[] mu = new double[x[0].length];
        for (double[] row : x) for (int i = 0; i < mu.length; i++) mu[i] += row[i];
        for (int i = 0; i < mu.length; i++) mu[i] /= x.length;
        return mu;
    }

    private static double[][] covariance(double[][] x, double[] mu) {
        int d = mu.length;
        double[][] c = new double[d][d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                double di = row[i] - mu[i];
                for (int j = 0; j <= i; j++) c[i][j] += di * (row[j] - mu[j]);
            }
        }
        for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) c[j][i] = c[i][j] = c[i][j] / (x.length - 1);
        return c;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                if (aik == 0) continue;
                for (int j = 0; j < n; j++) r[i][j] += aik * b[k][j];
            }
        }
        return r;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    /**
     * Eigen-decomposes the symmetric matrix {@code v} in place: on return its columns are the eigenvectors and
     * {@code d} the eigenvalues (Householder reduction to tridiagonal form, then the implicit QL method).
     */
    static void symmetricEigen(double[][] v, double[] d) {
        int n = d.length;
        double[] e = new double[n];
        for (int j = 0; j < n; j++) d[j] = v[n - 1][j];
        for (int i = n - 1; i > 0; i--) {                              // Householder tridiagonalisation
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                    v[j][i] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1], g = Math.sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) v[k][j] -= f * e[k] + g * d[k];
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++) {                              // accumulate the transformations
            v[n - 1][i] = v[i][i];
            v[i][i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) d[k] = v[k][i + 1] / h;
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += v[k][i + 1] * v[k][j];
                    for (int k = 0; k <= i; k++) v[k][j] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) v[k][i + 1] = 0;
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0;
        }
        v[n - 1][n - 1] = 1;
        e[0] = 0;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];                   // implicit QL on the tridiagonal form
        e[n - 1] = 0;
        double f = 0, tst1 = 0, eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
            if (m > l) {
                do {
                    double g = d[l], p = (d[l + 1] - g) / (2 * e[l]), r = Math.hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1], h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = c, c3 = c, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (int k = 0; k < n; k++) {
                            h = v[k][i + 1];
                            v[k][i + 1] = s * v[k][i] + c * h;
                            v[k][i] = c * v[k][i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }
}
