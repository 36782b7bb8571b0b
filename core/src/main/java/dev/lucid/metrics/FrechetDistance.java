package dev.lucid.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between Gaussians fitted to two sets of feature vectors (FID when the features are
 * Inception pool features): ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr (Σ₁ Σ₂)^½, with sample covariances (N − 1).
 * Tr (Σ₁ Σ₂)^½ is computed as Σ √λ of S Σ₂ S where S = Σ₁^½, both from symmetric eigendecompositions
 * (EJML), which stays real and stable where a general matrix square root would not.
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
        EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eigen.decompose(new DMatrixRMaj(c1))) throw new IllegalStateException("eigendecomposition of the covariance failed");
        DMatrixRMaj s = new DMatrixRMaj(n, n);                          // S = V diag(√λ) Vᵀ
        for (int k = 0; k < n; k++) {
            DMatrixRMaj v = eigen.getEigenVector(k);
            double root = Math.sqrt(Math.max(0, eigen.getEigenvalue(k).getReal()));
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s.add(i, j, root * v.get(i) * v.get(j));
        }
        DMatrixRMaj sc = new DMatrixRMaj(n, n), m = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(s, new DMatrixRMaj(c2), sc);
        CommonOps_DDRM.mult(sc, s, m);
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) m.set(i, j, 0.5 * (m.get(i, j) + m.get(j, i)));
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) m.set(i, j, m.get(j, i));
        EigenDecomposition_F64<DMatrixRMaj> values = DecompositionFactory_DDRM.eig(n, false, true);
        if (!values.decompose(m)) throw new IllegalStateException("eigendecomposition of S Σ₂ S failed");
        double t = 0;
        for (int k = 0; k < n; k++) t += Math.sqrt(Math.max(0, values.getEigenvalue(k).getReal()));
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

}
