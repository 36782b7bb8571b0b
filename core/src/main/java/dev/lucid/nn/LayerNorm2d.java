package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the channel axis of an NCHW tensor, per pixel, with per-channel scale and shift. */
public final class LayerNorm2d {

    private static final float EPS = 1e-6f;
    private final NDArray weight;
    private final NDArray bias;

    public LayerNorm2d(Parameters p, String name, int channels) {
        // stored as [1, C, 1, 1] so the forward pass broadcasts without reshaping a parameter every call
        this.weight = p.constant(name + ".weight", new Shape(1, channels, 1, 1), 1f);
        this.bias = p.constant(name + ".bias", new Shape(1, channels, 1, 1), 0f);
    }

    public NDArray forward(NDArray x) {
        NDArray mean = x.mean(new int[] {1}, true);
        NDArray centred = x.sub(mean);
        NDArray variance = centred.square().mean(new int[] {1}, true);
        return centred.div(variance.add(EPS).sqrt()).mul(weight).add(bias);
    }
}
