package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
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

    /**
     * The scale and shift are computed from the parameters, so DJL would keep them on the parameters' manager
     * for the life of the model (measured: RSS grew by about 3 MB per step training the CLIPDenoising encoder, until the OS killed the run); the scope frees them on return.
     */
    public NDArray forward(NDArray x) {
        Shape per = new Shape(1, weight.size(), 1, 1);
        try (NDScope scope = new NDScope()) {
            NDArray scale = weight.div(runningVar.add(EPS).sqrt());
            NDArray shift = bias.sub(runningMean.mul(scale));
            NDArray out = x.mul(scale.reshape(per)).add(shift.reshape(per));
            NDScope.unregister(out);
            return out;
        }
    }
}
