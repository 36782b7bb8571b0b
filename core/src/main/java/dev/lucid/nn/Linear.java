package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** y = x Wᵀ + b over the last axis, with weight [out, in] as in PyTorch. */
public final class Linear {

    private final Parameters parameters;
    private final String weightName;
    private final NDArray weight;
    private final NDArray bias;

    public Linear(Parameters p, String name, int in, int out, boolean bias) {
        double bound = 1.0 / Math.sqrt(in);
        this.parameters = p;
        this.weightName = name + ".weight";
        this.weight = p.uniform(weightName, new Shape(out, in), bound);
        this.bias = bias ? p.uniform(name + ".bias", new Shape(out), bound) : null;
    }

    /** The transposed (and any adapted) weight comes from a parameter, so it is freed on return (see {@link Tensors#freeingIntermediates}). */
    public NDArray forward(NDArray x) {
        return Tensors.freeingIntermediates(() -> {
            NDArray y = x.matMul(parameters.adapted(weightName, weight).transpose());
            return bias == null ? y : y.add(bias);
        });
    }
}
