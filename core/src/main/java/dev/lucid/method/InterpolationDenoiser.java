package dev.lucid.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.lucid.diffusion.InterpolationDiffusion;
import dev.lucid.nn.ConditionalUNet;
import dev.lucid.nn.ImageNetwork;
import java.util.SplittableRandom;

/**
 * Real-world denoising by interpolation diffusion (seed 003, arXiv 2305.04457; method "interpolation-diffusion"):
 * training draws t ~ U{1..T} per sample, forms x_t = (1 − t/T) x₀ + (t/T) x_noisy and trains the step network
 * to predict x₀ (the Charbonnier loss of the paper is set in the config); inference runs the origin or
 * improved sampler over a chosen number of steps.
 */
public final class InterpolationDenoiser implements TrainableMethod {

    /** The x₀-predicting network of one step, given the state, the step and the noisy image. */
    public interface StepNetwork {
        NDArray predict(NDArray xt, float[] t, NDArray noisy);

        int sizeMultiple();

        long macsPerPixel();

        /** The conditional UNet: time embedding, and the noisy image concatenated when condition_channels = channels. */
        static StepNetwork of(ConditionalUNet network) {
            return new StepNetwork() {
                @Override
                public NDArray predict(NDArray xt, float[] t, NDArray noisy) {
                    return network.forward(xt, t, network.config().conditionChannels() > 0 ? noisy : null, null, null);
                }
                @Override public int sizeMultiple() { return network.sizeMultiple(); }
                @Override public long macsPerPixel() { return network.macsPerPixel(); }
            };
        }

        /**
         * A plain image network over [x_t, noisy, t/T] (2C + 1 input planes, as DRUNet takes its noise-level
         * map): no time embedding, so every layer is a fast dense convolution.
         */
        static StepNetwork ofPlanes(ImageNetwork network, int steps) {
            return new StepNetwork() {
                @Override
                public NDArray predict(NDArray xt, float[] t, NDArray noisy) {
                    Shape s = xt.getShape();
                    float[] fraction = new float[t.length];
                    for (int i = 0; i < t.length; i++) fraction[i] = t[i] / steps;
                    NDArray time = xt.getManager().create(fraction, new Shape(s.get(0), 1, 1, 1)).broadcast(s.get(0), 1, s.get(2), s.get(3));
                    return network.forward(NDArrays.concat(new NDList(xt, noisy, time), 1));
                }
                @Override public int sizeMultiple() { return network.sizeMultiple(); }
                @Override public long macsPerPixel() { return network.macsPerPixel(); }
            };
        }
    }

    private final StepNetwork network;
    private final InterpolationDiffusion diffusion;
    private final int sampleSteps;
    private final InterpolationDiffusion.Sampling sampling;

    public InterpolationDenoiser(StepNetwork network, int steps, int sampleSteps, InterpolationDiffusion.Sampling sampling) {
        this.network = network;
        this.diffusion = new InterpolationDiffusion(steps);
        this.sampleSteps = sampleSteps;
        this.sampling = sampling;
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
        return new Prediction(network.predict(xt, t, noisy), clean);
    }

    @Override
    public NDArray restore(NDArray noisy) {
        int n = (int) noisy.getShape().get(0);
        return diffusion.sample((x, t) -> network.predict(x, ConditionalUNet.steps(n, t), noisy), noisy, sampleSteps, sampling);
    }

    @Override
    public int sizeMultiple() { return network.sizeMultiple(); }

    /** Per network evaluation; a restore costs sample_steps evaluations. */
    @Override
    public long macsPerPixel() { return network.macsPerPixel(); }
}
