package dev.lucid.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * Real-world denoising by interpolation diffusion (arXiv 2305.04457): the forward process moves linearly
 * from the clean x₀ to the real noisy x_T, x_t = (1 − α_t) x₀ + α_t x_T with α_t = t/T, no Gaussian noise
 * added; the network predicts x₀. Two samplers over any decreasing subset of steps:
 * <ul>
 *   <li>origin: x_{s} = D(x̂₀, s), restarting from the prediction at every step;</li>
 *   <li>improved (cold-diffusion style): x_{s} = x_t − D(x̂₀, t) + D(x̂₀, s), which corrects for errors
 *       in x̂₀ by keeping what the current state already has;</li>
 * </ul>
 * with D(x, s) = (1 − α_s) x + α_s x_T.
 */
public final class InterpolationDiffusion {

    public enum Sampling { ORIGIN, IMPROVED }

    private final int steps;

    public InterpolationDiffusion(int steps) { this.steps = steps; }

    public int steps() { return steps; }

    public double alpha(int t) { return (double) t / steps; }

    /** D(x, t) = (1 − α_t) x + α_t x_T: the state at t on the line from x to the noisy image. */
    public NDArray interpolate(NDArray x, NDArray noisy, int t) {
        double a = alpha(t);
        return x.mul((float) (1 - a)).add(noisy.mul((float) a));
    }

    /** Samples from the noisy image over {@code n} evenly spaced steps (T → 0). */
    public NDArray sample(X0Predictor model, NDArray noisy, int n, Sampling sampling) {
        int[] ts = GaussianDiffusion.evenSteps(steps, n);
        NDArray x = noisy;
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i], next = i + 1 < ts.length ? ts[i + 1] : 0;
            NDArray x0 = model.predict(x, t);
            x = sampling == Sampling.ORIGIN ? interpolate(x0, noisy, next)
                    : x.sub(interpolate(x0, noisy, t)).add(interpolate(x0, noisy, next));
        }
        return x;
    }
}
