package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/** y = x Wᵀ + b over the last axis, with weight [out, in] as in PyTorch. */
public final class Linear {

    private final NDArray weight;
    private final NDArray bias;

    public Linear(Parameters p, String name, int in, int out, boolean bias) {
        double bound = 1.0 / Math.sqrt(in);
        this.weight = p.uniform(name + ".weight", new Shape(out, in), bound);
        this.bias = bias ? p.uniform(name + ".bias", new Shape(out), bound) : null;
    }

    /** The transposed weight would stay on the parameters' manager (see BatchNorm2d); the scope frees it. */
    public NDArray forward(NDArray x) {
        try (NDScope scope = new NDScope()) {
            NDArray y = x.matMul(weight.transpose());
            NDArray out = bias == null ? y : y.add(bias);
            NDScope.unregister(out);
            return out;
        }
    }
}
