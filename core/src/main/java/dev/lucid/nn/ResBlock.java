package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * x + conv3×3(ReLU(conv3×3(x))) without biases, as in DRUNet. The second convolution starts at zero, so a new
 * block is the identity: without normalisation, a deep stack of random residuals would blow up the activations.
 */
public final class ResBlock implements UNet.Block {

    private final Conv2d first, second;

    public ResBlock(Parameters p, String name, int channels) {
        first = new Conv2d(p, name + ".conv1", channels, channels, 3, 1, 1, 1, false);
        second = new Conv2d(p, name + ".conv2", channels, channels, 3, 1, 1, 1, false);
        p.asMap().get(name + ".conv2.weight").muli(0);
    }

    /** Intermediates are freed when the block returns ({@link Tensors#freeingIntermediates}). */
    @Override
    public NDArray forward(NDArray x) {
        return Tensors.freeingIntermediates(() -> x.add(second.forward(Activation.relu(first.forward(x)))));
    }

    @Override
    public long macsPerPixel() { return first.macsPerOutputPixel + second.macsPerOutputPixel; }
}
