package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Inference-mode BatchNorm over the channels of NCHW input, from the running statistics (ε = 1e-5).
 * Holds the four tensors and the step counter of PyTorch's state_dict so weights load by name.
 */
public final class BatchNorm2d {

    private static final float EPS = 1e-5f;
    private final NDArray weight, bias, runningMean, runningVar;

    public BatchNorm2d(Parameters p, String name, int channels) {
        Shape c = new Shape(channels);
        weight = p.constant(name + ".weight", c, 1f);
        bias = p.constant(name + ".bias", c, 0f);
        runningMean = p.constant(name + ".running_mean", c, 0f);
        runningVar = p.constant(name + ".running_var", c, 1f);
        p.constant(name + ".num_batches_tracked", new Shape(), 0f);
    }

    /** Scale and shift come from the parameters, so they are freed on return (see {@link Tensors#freeingIntermediates}). */
    public NDArray forward(NDArray x) {
        Shape per = new Shape(1, weight.size(), 1, 1);
        return Tensors.freeingIntermediates(() -> {
            NDArray scale = weight.div(runningVar.add(EPS).sqrt());
            NDArray shift = bias.sub(runningMean.mul(scale));
            return x.mul(scale.reshape(per)).add(shift.reshape(per));
        });
    }
}
