package dev.lucid.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * Gaussian diffusion with an x₀-predicting network (as Tell-Me uses): the forward marginal
 * q(x_t | x₀) = N(√ᾱ_t x₀, (1 − ᾱ_t) I), DDPM ancestral sampling and DDIM over any subset of steps,
 * optionally starting at an intermediate step from the degraded measurement instead of pure noise.
 */
public final class GaussianDiffusion {

    private final NoiseSchedule schedule;

    public GaussianDiffusion(NoiseSchedule schedule) { this.schedule = schedule; }

    /** x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε. */
    public NDArray diffuse(NDArray x0, int t, NDArray noise) {
        double ab = schedule.alphaBar(t);
        return x0.mul((float) Math.sqrt(ab)).add(noise.mul((float) Math.sqrt(1 - ab)));
    }

    /**
     * DDPM ancestral sampling from step {@code start} (T for pure noise) down to 0, using the posterior
     * q(x_{t−1} | x_t, x̂₀); {@code xStart} is x_T noise, or {@link #diffuse} of the measurement for a partial run.
     */
    public NDArray sampleDdpm(X0Predictor model, NDArray xStart, int start, GaussianNoiseSource noise) {
        NDArray x = xStart;
        for (int t = start; t >= 1; t--) {
            NDArray x0 = model.predict(x, t);
            double ab = schedule.alphaBar(t), abPrev = schedule.alphaBar(t - 1), beta = schedule.beta(t);
            double c0 = Math.sqrt(abPrev) * beta / (1 - ab), ct = Math.sqrt(1 - beta) * (1 - abPrev) / (1 - ab);
            NDArray mean = x0.mul((float) c0).add(x.mul((float) ct));
            double variance = (1 - abPrev) / (1 - ab) * beta;
            x = t > 1 ? mean.add(noise.next(x.getManager(), x.getShape()).mul((float) Math.sqrt(variance))) : mean;
        }
        return x;
    }

    /**
     * DDIM (Song et al. 2021) on the decreasing steps {@code steps} (e.g. [1000, 950, ..., 50]), ending at 0;
     * η = 0 is deterministic, η = 1 matches DDPM's variance.
     */
    public NDArray sampleDdim(X0Predictor model, NDArray xStart, int[] steps, double eta, GaussianNoiseSource noise) {
        NDArray x = xStart;
        for (int i = 0; i < steps.length; i++) {
            int t = steps[i], prev = i + 1 < steps.length ? steps[i + 1] : 0;
            NDArray x0 = model.predict(x, t);
            double ab = schedule.alphaBar(t), abPrev = schedule.alphaBar(prev);
            NDArray eps = x.sub(x0.mul((float) Math.sqrt(ab))).div((float) Math.sqrt(1 - ab));
            double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
            x = x0.mul((float) Math.sqrt(abPrev)).add(eps.mul((float) Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
            if (sigma > 0 && prev > 0) x = x.add(noise.next(x.getManager(), x.getShape()).mul((float) sigma));
        }
        return x;
    }

    /** n evenly spaced steps from {@code start} down to ≥ 1, e.g. (1000, 4) → [1000, 750, 500, 250]. */
    public static int[] evenSteps(int start, int n) {
        if (n < 1 || n > start) throw new IllegalArgumentException("steps must be in 1.." + start + ", got " + n);
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = (int) Math.round(start - (double) i * start / n);
        return s;
    }
}
