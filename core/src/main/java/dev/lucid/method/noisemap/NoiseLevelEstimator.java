package dev.lucid.method.noisemap;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.lucid.nn.Conv2d;
import dev.lucid.nn.Parameters;
import dev.lucid.nn.Tensors;
import dev.lucid.nn.UNet;

/**
 * CBDNet's noise-level estimation subnetwork, made cheap for a CPU: the image is folded into its 2×2 pixel phases
 * (pixel unshuffle, so no sample is lost), four 3×3 convolutions with ReLU at half resolution predict a softplus
 * noise level per phase and channel, and the phases are unfolded again: a per-pixel, per-channel σ map in [0, 1]
 * intensity units. The last bias starts at −3 (σ ≈ 0.05, about 12/255), a plausible level for a new network.
 */
final class NoiseLevelEstimator {

    private final Conv2d[] convs;

    NoiseLevelEstimator(Parameters p, String name, int channels, int width) {
        convs = new Conv2d[] {
            new Conv2d(p, name + ".0", 4 * channels, width, 3),
            new Conv2d(p, name + ".1", width, width, 3),
            new Conv2d(p, name + ".2", width, width, 3),
            new Conv2d(p, name + ".3", width, 4 * channels, 3)};
        NDArray bias = p.asMap().get(name + ".3.bias");
        Tensors.assign(bias, bias.zerosLike().sub(3f));
    }

    /** x: [N, C, H, W] with even H and W; returns σ̂ of the same shape. */
    NDArray forward(NDArray x) {
        NDArray h = UNet.pixelUnshuffle(x);
        for (int i = 0; i < convs.length - 1; i++) h = Activation.relu(convs[i].forward(h));
        return UNet.pixelShuffle(Activation.softPlus(convs[convs.length - 1].forward(h)));
    }

    /** Multiply-accumulates per full-resolution pixel. */
    long macsPerPixel() {
        long macs = 0;
        for (Conv2d c : convs) macs += c.macsPerOutputPixel;
        return macs / 4;
    }
}
