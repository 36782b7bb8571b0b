package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last axis (PyTorch nn.LayerNorm, ε = 1e-5). */
public final class LayerNorm {

    private static final float EPS = 1e-5f;
    private final NDArray weight;
    private final NDArray bias;
    private final int size;

    public LayerNorm(Parameters p, String name, int size) {
        this.size = size;
        this.weight = p.constant(name + ".weight", new Shape(size), 1f);
        this.bias = p.constant(name + ".bias", new Shape(size), 0f);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(size), weight, bias, EPS).singletonOrThrow();
    }
}
