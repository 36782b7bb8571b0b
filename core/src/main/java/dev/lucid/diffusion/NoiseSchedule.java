package dev.lucid.diffusion;

/**
 * A discrete variance schedule β₁..β_T with ᾱ_t = Π(1 − β_s); index 0 stands for clean data (ᾱ₀ = 1).
 * Linear (Ho et al. 2020: 1e-4 → 0.02, scaled by 1000/T) or cosine (Nichol & Dhariwal 2021, s = 0.008,
 * β capped at 0.999).
 */
public final class NoiseSchedule {

    private final double[] betas;      // betas[t], t = 1..T (betas[0] unused, 0)
    private final double[] alphaBars;  // alphaBars[t], alphaBars[0] = 1

    private NoiseSchedule(double[] betas) {
        this.betas = betas;
        this.alphaBars = new double[betas.length];
        alphaBars[0] = 1;
        for (int t = 1; t < betas.length; t++) alphaBars[t] = alphaBars[t - 1] * (1 - betas[t]);
    }

    public static NoiseSchedule linear(int steps) {
        double scale = 1000.0 / steps;
        double[] b = new double[steps + 1];
        for (int t = 1; t <= steps; t++) b[t] = scale * (1e-4 + (0.02 - 1e-4) * (t - 1) / Math.max(1, steps - 1));
        return new NoiseSchedule(b);
    }

    public static NoiseSchedule cosine(int steps) {
        double s = 0.008;
        double[] b = new double[steps + 1];
        for (int t = 1; t <= steps; t++) b[t] = Math.min(0.999, 1 - f(t, steps, s) / f(t - 1, steps, s));
        return new NoiseSchedule(b);
    }

    private static double f(int t, int steps, double s) {
        double c = Math.cos(((double) t / steps + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    public int steps() { return betas.length - 1; }

    public double beta(int t) { return betas[t]; }

    public double alphaBar(int t) { return alphaBars[t]; }
}
