package dev.lucid.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * The mean-reverting SDE of IR-SDE (Luo et al. 2023), used by ETDiffIR: dx = θ_t (μ − x) dt + σ_t dw with
 * σ_t² = 2 λ² θ_t, μ the degraded image. θ follows a cosine schedule over T steps; dt is chosen so that
 * exp(−θ̄_T dt) = ε, i.e. the state at T is μ plus stationary noise of variance λ². Closed-form marginal:
 * x_t ~ N(μ + (x₀ − μ) e^{−θ̄_t dt}, λ² (1 − e^{−2 θ̄_t dt})). The network predicts the noise of x_t; the
 * score is −noise / σ̄_t. Training (maximum likelihood) matches the predicted reverse mean to
 * {@link #optimumReverseStep}.
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
    public NDArray meanAt(NDArray x0, NDArray mu, int t) {
        return mu.add(x0.sub(mu).mul((float) decay(t)));
    }

    /** A sample of the marginal at t (training states): mean + σ̄_t ε. */
    public NDArray diffuse(NDArray x0, NDArray mu, int t, NDArray noise) {
        return meanAt(x0, mu, t).add(noise.mul((float) sigmaBar(t)));
    }

    /** The exact one-step transition t−1 → t (Ornstein–Uhlenbeck with θ_t held over the step). */
    public NDArray forwardStep(NDArray x, NDArray mu, int t, NDArray noise) {
        double a = Math.exp(-thetas[t] * dt);
        return mu.add(x.sub(mu).mul((float) a)).add(noise.mul((float) (lambda * Math.sqrt(1 - a * a))));
    }

    /** Score from predicted noise: −noise / σ̄_t. */
    public NDArray scoreFromNoise(NDArray noise, int t) {
        return noise.div((float) -sigmaBar(t));
    }

    /** Mean of one reverse Euler–Maruyama step: x − (θ_t (μ − x) − σ_t² score) dt. */
    public NDArray reverseMean(NDArray x, NDArray mu, NDArray score, int t) {
        double sigma2 = 2 * lambda * lambda * thetas[t];
        return x.sub(mu.sub(x).mul((float) (thetas[t] * dt)).sub(score.mul((float) (sigma2 * dt))));
    }

    /** One reverse SDE step t → t−1. */
    public NDArray reverseStep(NDArray x, NDArray mu, NDArray score, int t, NDArray noise) {
        double sigma = lambda * Math.sqrt(2 * thetas[t]);
        return reverseMean(x, mu, score, t).sub(noise.mul((float) (sigma * Math.sqrt(dt))));
    }

    /** The optimal reverse state x*_{t−1} given x_t and the clean x₀: the maximum-likelihood training target. */
    public NDArray optimumReverseStep(NDArray xt, NDArray x0, NDArray mu, int t) {
        double a = Math.exp(-thetas[t] * dt), b = decay(t), c = decay(t - 1);
        double term1 = a * (1 - c * c) / (1 - b * b), term2 = c * (1 - a * a) / (1 - b * b);
        return xt.sub(mu).mul((float) term1).add(x0.sub(mu).mul((float) term2)).add(mu);
    }

    /** The noise-predicting network, with its conditioning bound in. */
    @FunctionalInterface
    public interface NoisePredictor {
        NDArray predict(NDArray xt, int t);
    }

    /** Reverse SDE from x_T (μ + λ ε) to x₀. */
    public NDArray sample(NoisePredictor model, NDArray xT, NDArray mu, GaussianNoiseSource noise) {
        NDArray x = xT;
        for (int t = steps; t >= 1; t--) {
            NDArray score = scoreFromNoise(model.predict(x, t), t);
            x = reverseStep(x, mu, score, t, noise.next(x.getManager(), x.getShape()));
        }
        return x;
    }
}
