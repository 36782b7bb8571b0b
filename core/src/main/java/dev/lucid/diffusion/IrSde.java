package dev.lucid.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * The mean-reverting SDE of IR-SDE (Luo et al. 2023), used by ETDiffIR: dx = θ_t (μ − x) dt + σ_t dw with
 * σ_t² = 2 λ² θ_t, μ the degraded image. θ follows a cosine schedule over T steps; dt is chosen so that
 * exp(−θ̄_T dt) = ε, i.e. the state at T is μ plus stationary noise of variance λ². Closed-form marginal:
 * x_t ~ N(μ + (x₀ − μ) e^{−θ̄_t dt}, λ² (1 − e^{−2 θ̄_t dt})). The network predicts the noise of x_t; the
 * score is −noise / σ̄_t (a network that predicts x₀ instead gives its noise by {@link #noiseFromClean}). Training
 * (maximum likelihood) matches the predicted reverse mean to {@link #optimumReverseStep}. Sampling: the seed's T-step Euler–Maruyama ({@link #sample}) or a few posterior
 * steps ({@link #samplePosterior}).
 */
public final class IrSde {

    private final int steps;
    private final double lambda, dt;
    private final double[] thetas, thetaBars;   // index 0..T; thetaBars[0] = 0

    /** @param lambda stationary noise std λ in [0, 1] units (ETDiffIR: 50/255 for denoising) */
    public IrSde(double lambda, int steps, double eps) {
        this.steps = steps;
        this.lambda = lambda;
        int n = steps + 2;                          // the reference truncates a cosine schedule of T + 2 steps
        double s = 0.008;
        double[] alphaBar = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double c = Math.cos(((double) i / n + s) / (1 + s) * Math.PI / 2);
            alphaBar[i] = c * c;
        }
        thetas = new double[steps + 1];
        for (int i = 0; i <= steps; i++) thetas[i] = 1 - alphaBar[i + 1] / alphaBar[0];
        thetaBars = new double[steps + 1];
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            sum += thetas[i];
            thetaBars[i] = sum - thetas[0];
        }
        dt = -Math.log(eps) / thetaBars[steps];
    }

    public int steps() { return steps; }

    /** e^{−θ̄_t dt}: how much of x₀ − μ survives at step t. */
    public double decay(int t) { return Math.exp(-thetaBars[t] * dt); }

    /** Standard deviation σ̄_t of the marginal at step t. */
    public double sigmaBar(int t) { return lambda * Math.sqrt(1 - Math.exp(-2 * thetaBars[t] * dt)); }

    /** Mean of the marginal: μ + (x₀ − μ) e^{−θ̄_t dt}. */
    public NDArray meanAt(NDArray x0, NDArray mu, int t) { return meanAt(x0, mu, new int[] {t}); }

    /** The same, with one step per sample of a batch [N, C, H, W]. */
    public NDArray meanAt(NDArray x0, NDArray mu, int[] t) {
        return mu.add(x0.sub(mu).mul(perSample(mu, t, this::decay)));
    }

    /** A sample of the marginal at t (training states): mean + σ̄_t ε. */
    public NDArray diffuse(NDArray x0, NDArray mu, int t, NDArray noise) { return diffuse(x0, mu, new int[] {t}, noise); }

    /** The same, with one step per sample of a batch. */
    public NDArray diffuse(NDArray x0, NDArray mu, int[] t, NDArray noise) {
        return meanAt(x0, mu, t).add(noise.mul(perSample(mu, t, this::sigmaBar)));
    }

    /** The exact one-step transition t−1 → t (Ornstein–Uhlenbeck with θ_t held over the step). */
    public NDArray forwardStep(NDArray x, NDArray mu, int t, NDArray noise) {
        double a = Math.exp(-thetas[t] * dt);
        return mu.add(x.sub(mu).mul((float) a)).add(noise.mul((float) (lambda * Math.sqrt(1 - a * a))));
    }

    /** Score from predicted noise: −noise / σ̄_t, one step per sample. */
    public NDArray scoreFromNoise(NDArray noise, int[] t) {
        return noise.div(perSample(noise, t, this::sigmaBar).neg());
    }

    /** Mean of one reverse Euler–Maruyama step, one step per sample: x − (θ_t (μ − x) − σ_t² score) dt. */
    public NDArray reverseMean(NDArray x, NDArray mu, NDArray score, int[] t) {
        NDArray drift = perSample(x, t, i -> thetas[i] * dt), diffusion = perSample(x, t, i -> 2 * lambda * lambda * thetas[i] * dt);
        return x.sub(mu.sub(x).mul(drift).sub(score.mul(diffusion)));
    }

    /** One reverse SDE step t → t−1. */
    public NDArray reverseStep(NDArray x, NDArray mu, NDArray score, int t, NDArray noise) {
        double sigma = lambda * Math.sqrt(2 * thetas[t]);
        return reverseMean(x, mu, score, new int[] {t}).sub(noise.mul((float) (sigma * Math.sqrt(dt))));
    }

    /** The optimal reverse state x*_{t−1} given x_t and the clean x₀: the maximum-likelihood training target. */
    public NDArray optimumReverseStep(NDArray xt, NDArray x0, NDArray mu, int t) {
        return optimumReverseStep(xt, x0, mu, new int[] {t});
    }

    /** The same, one step per sample: the posterior mean of x_{t−1} given x_t and x₀. */
    public NDArray optimumReverseStep(NDArray xt, NDArray x0, NDArray mu, int[] t) {
        int[] previous = new int[t.length];
        for (int i = 0; i < t.length; i++) previous[i] = t[i] - 1;
        return posteriorMean(xt, x0, mu, t, previous);
    }

    /**
     * The mean of x_s given x_t and x₀ for any s < t (the OU bridge): μ + A (x_t − μ) + B (x₀ − μ) with
     * a = e^{−(θ̄_t − θ̄_s) dt}, b = e^{−θ̄_t dt}, c = e^{−θ̄_s dt}, A = a (1 − c²)/(1 − b²), B = c (1 − a²)/(1 − b²).
     */
    private NDArray posteriorMean(NDArray xt, NDArray x0, NDArray mu, int[] t, int[] s) {
        double[] term1 = new double[t.length], term2 = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double a = Math.exp(-(thetaBars[t[i]] - thetaBars[s[i]]) * dt), b = decay(t[i]), c = decay(s[i]);
            term1[i] = a * (1 - c * c) / (1 - b * b);
            term2[i] = c * (1 - a * a) / (1 - b * b);
        }
        return xt.sub(mu).mul(perSample(xt, term1)).add(x0.sub(mu).mul(perSample(xt, term2))).add(mu);
    }

    /** Standard deviation of x_s given x_t and x₀: λ √((1 − c²)(1 − a²)/(1 − b²)). */
    private double posteriorSigma(int t, int s) {
        double a = Math.exp(-(thetaBars[t] - thetaBars[s]) * dt), b = decay(t), c = decay(s);
        return lambda * Math.sqrt((1 - c * c) * (1 - a * a) / (1 - b * b));
    }

    /** x₀ implied by a state and its predicted noise: μ + (x_t − μ − σ̄_t ε) / e^{−θ̄_t dt}. */
    public NDArray cleanFromNoise(NDArray xt, NDArray mu, NDArray noise, int t) {
        return xt.sub(mu).sub(noise.mul((float) sigmaBar(t))).div((float) decay(t)).add(mu);
    }

    /**
     * The share of x_t − μ that the best linear guess of x₀ − μ from x_t keeps, when x₀ − μ has variance λ² (as
     * noise of σ = λ has): d λ² / (d² λ² + σ̄_t²) with d = e^{−θ̄_t dt} — about 1 at t = 1, where x_t is nearly x₀,
     * and d = 0.01 at T, where x_t is μ plus noise. With {@link #cleanScale} it preconditions a network that predicts
     * x₀ as μ + skip·(x_t − μ) + scale·output (EDM's c_skip and c_out, Karras et al. 2022).
     */
    public NDArray cleanSkip(NDArray like, int[] t) {      // [N, 1, 1, 1], or [1, 1, 1, 1] for one shared step
        return perSample(like, t, i -> decay(i) * lambda * lambda / (decay(i) * decay(i) * lambda * lambda + sigmaBar(i) * sigmaBar(i)));
    }

    /** The standard deviation of that guess's error: λ σ̄_t / √(d² λ² + σ̄_t²), about σ̄_1 at t = 1 and λ at T. */
    public NDArray cleanScale(NDArray like, int[] t) {
        return perSample(like, t, i -> lambda * sigmaBar(i) / Math.sqrt(decay(i) * decay(i) * lambda * lambda + sigmaBar(i) * sigmaBar(i)));
    }

    /** The noise of a state implied by a predicted clean image: (x_t − μ − (x̂₀ − μ) e^{−θ̄_t dt}) / σ̄_t. */
    public NDArray noiseFromClean(NDArray xt, NDArray mu, NDArray x0, int t) {
        return xt.sub(meanAt(x0, mu, t)).div((float) sigmaBar(t));
    }

    /** The noise-predicting network, with its conditioning bound in. */
    @FunctionalInterface
    public interface NoisePredictor {
        NDArray predict(NDArray xt, int t);
    }

    /** Reverse SDE from x_T (μ + λ ε) to x₀ by Euler–Maruyama, T network evaluations (the seed's sampler). */
    public NDArray sample(NoisePredictor model, NDArray xT, NDArray mu, GaussianNoiseSource noise) {
        NDArray x = xT;
        for (int t = steps; t >= 1; t--) {
            int[] step = {t};
            NDArray score = scoreFromNoise(model.predict(x, t), step);
            x = reverseStep(x, mu, score, t, noise.next(x.getManager(), x.getShape()));
        }
        return x;
    }

    /** Where the k-th of {@code evaluations} posterior jumps starts (k = evaluations … 1; 0 gives the end, step 0): T·k / evaluations. */
    public int jumpStart(int k, int evaluations) { return (int) Math.round((double) steps * k / evaluations); }

    /**
     * Few-step sampling by the posterior (optimal reverse) step: at each of {@code evaluations} evenly spaced steps
     * t → s, the network's noise gives x̂₀ (clipped to [0, 1]) and x_s is drawn from x_s | x_t, x̂₀; the last jump
     * lands on s = 0, which is x̂₀ itself. Unlike Euler–Maruyama, each jump is exact for the process, so long
     * jumps lose nothing but the network's error.
     */
    public NDArray samplePosterior(NoisePredictor model, NDArray xT, NDArray mu, int evaluations, GaussianNoiseSource noise) {
        if (evaluations < 1 || evaluations > steps) throw new IllegalArgumentException("sampling steps must be in [1, " + steps + "], got " + evaluations);
        NDArray x = xT;
        for (int k = evaluations; k >= 1; k--) {
            int t = jumpStart(k, evaluations), s = jumpStart(k - 1, evaluations);
            NDArray x0 = cleanFromNoise(x, mu, model.predict(x, t), t).clip(0f, 1f);
            if (s == 0) return x0;
            x = posteriorMean(x, x0, mu, new int[] {t}, new int[] {s})
                    .add(noise.next(x.getManager(), x.getShape()).mul((float) posteriorSigma(t, s)));
        }
        return x;
    }

    /** Coefficients per sample as [N, 1, 1, 1] (or [1, 1, 1, 1] for one shared step), on {@code like}'s manager. */
    private NDArray perSample(NDArray like, int[] t, java.util.function.IntToDoubleFunction f) {
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) v[i] = f.applyAsDouble(t[i]);
        return perSample(like, v);
    }

    private static NDArray perSample(NDArray like, double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return like.getManager().create(f, new ai.djl.ndarray.types.Shape(v.length, 1, 1, 1));
    }
}
