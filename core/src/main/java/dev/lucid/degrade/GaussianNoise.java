package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Additive white Gaussian noise with σ in 8-bit units, fixed or drawn uniformly from [σmin, σmax] per image
 * (blind training). Not clipped unless asked: the usual test protocol adds noise in float and keeps it.
 */
public final class GaussianNoise implements Degradation {

    private final double sigmaMin, sigmaMax;
    private final boolean clip;

    public GaussianNoise(double sigmaMin, double sigmaMax, boolean clip) {
        if (sigmaMin < 0 || sigmaMax < sigmaMin) throw new IllegalArgumentException("bad sigma range " + sigmaMin + "-" + sigmaMax);
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.clip = clip;
    }

    public static GaussianNoise fixed(double sigma) { return new GaussianNoise(sigma, sigma, false); }

    /** σ when it is fixed (not a range), else null. */
    public Double fixedSigma() { return sigmaMin == sigmaMax ? sigmaMin : null; }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        double sigma = (sigmaMin == sigmaMax ? sigmaMin : sigmaMin + rng.nextDouble() * (sigmaMax - sigmaMin)) / 255.0;
        for (int i = 0; i < chw.length; i++) {
            float v = (float) (chw[i] + sigma * Degradation.gaussian(rng));
            chw[i] = clip ? Math.min(1f, Math.max(0f, v)) : v;
        }
    }

    @Override
    public String describe() {
        return "gaussian:" + (sigmaMin == sigmaMax ? fmt(sigmaMin) : fmt(sigmaMin) + "-" + fmt(sigmaMax)) + (clip ? ",clip" : "");
    }

    static String fmt(double v) { return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v); }
}
