package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Instance normalisation of an NCHW tensor: each sample's channel over its pixels, with optional per-channel scale and shift. */
public final class InstanceNorm2d {

    private static final float EPS = 1e-5f;                  // PyTorch's
    private final NDArray weight, bias;                      // null without affine parameters

    public InstanceNorm2d(Parameters p, String name, int channels, boolean affine) {
        this.weight = affine ? p.constant(name + ".weight", new Shape(1, channels, 1, 1), 1f) : null;
        this.bias = affine ? p.constant(name + ".bias", new Shape(1, channels, 1, 1), 0f) : null;
    }

    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));    // the engine averages over one axis with keepDims
        NDArray centred = flat.sub(flat.mean(new int[] {2}, true));
        NDArray normalised = centred.div(centred.square().mean(new int[] {2}, true).add(EPS).sqrt()).reshape(s);
        return weight == null ? normalised : normalised.mul(weight).add(bias);
    }
}
