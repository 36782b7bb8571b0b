package dev.lucid.method;

import ai.djl.ndarray.NDArray;
import dev.lucid.nn.ImageNetwork;
import java.util.SplittableRandom;

/** The single-pass denoiser: network(noisy) ≈ clean (method "direct", the default). */
public final class DirectDenoiser implements TrainableMethod {

    private final ImageNetwork network;

    public DirectDenoiser(ImageNetwork network) { this.network = network; }

    @Override
    public Prediction trainingPair(NDArray noisy, NDArray clean, SplittableRandom rng) {
        return new Prediction(network.forwardTraining(noisy, rng), clean);
    }

    @Override
    public NDArray restore(NDArray noisy) { return network.forward(noisy); }

    @Override
    public int sizeMultiple() { return network.sizeMultiple(); }

    @Override
    public long macsPerPixel() { return network.macsPerPixel(); }

    @Override
    public boolean isTrainable(String parameterName) { return network.isTrainable(parameterName); }
}
