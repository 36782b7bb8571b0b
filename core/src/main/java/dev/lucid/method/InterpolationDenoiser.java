package dev.lucid.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lucid.diffusion.InterpolationDiffusion;
import dev.lucid.nn.ConditionalUNet;
import java.util.SplittableRandom;

/**
 * Real-world denoising by interpolation diffusion (seed 003, arXiv 2305.04457; method "interpolation-diffusion"):
 * training draws t ~ U{1..T} per sample, forms x_t = (1 − t/T) x₀ + (t/T) x_noisy and trains the conditional
 * UNet to predict x₀ (the Charbonnier loss of the paper is set in the config); inference runs the origin or
 * improved sampler over a chosen number of steps. With condition_channels = channels the noisy image is also
 * concatenated to x_t as a condition.
 */
public final class InterpolationDenoiser implements TrainableMethod {

    private final ConditionalUNet network;
    private final InterpolationDiffusion diffusion;
    private final int sampleSteps;
    private final InterpolationDiffusion.Sampling sampling;

    public InterpolationDenoiser(ConditionalUNet network, int steps, int sampleSteps, InterpolationDiffusion.Sampling sampling) {
        this.network = network;
        this.diffusion = new InterpolationDiffusion(steps);
        this.sampleSteps = sampleSteps;
        this.sampling = sampling;
    }

    private NDArray predict(NDArray xt, float[] t, NDArray noisy) {
        return network.forward(xt, t, network.config().conditionChannels() > 0 ? noisy : null, null, null);
    }

    @Override
    public Prediction trainingPair(NDArray noisy, NDArray clean, SplittableRandom rng) {
        int n = (int) noisy.getShape().get(0);
        float[] t = new float[n], alpha = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1 + rng.nextInt(diffusion.steps());
            alpha[i] = (float) diffusion.alpha((int) t[i]);
        }
        NDArray a = noisy.getManager().create(alpha, new Shape(n, 1, 1, 1));
        NDArray xt = clean.mul(a.neg().add(1f)).add(noisy.mul(a));
        return new Prediction(predict(xt, t, noisy), clean);
    }

    @Override
    public NDArray restore(NDArray noisy) {
        int n = (int) noisy.getShape().get(0);
        return diffusion.sample((x, t) -> predict(x, ConditionalUNet.steps(n, t), noisy), noisy, sampleSteps, sampling);
    }

    @Override
    public int sizeMultiple() { return network.sizeMultiple(); }

    /** Per network evaluation; a restore costs sample_steps evaluations. */
    @Override
    public long macsPerPixel() { return network.macsPerPixel(); }
}
