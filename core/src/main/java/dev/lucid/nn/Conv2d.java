package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** A 2-D convolution with weight [out, in/groups, k, k] and bias [out]; "same" padding for odd kernels. */
public final class Conv2d {

    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final int groups;
    final long macsPerOutputPixel;

    public Conv2d(Parameters p, String name, int in, int out, int kernel, int stride, int groups) {
        double bound = 1.0 / Math.sqrt((double) in / groups * kernel * kernel);
        this.weight = p.uniform(name + ".weight", new Shape(out, in / groups, kernel, kernel), bound);
        this.bias = p.uniform(name + ".bias", new Shape(out), bound);
        this.stride = new Shape(stride, stride);
        int pad = stride == 1 ? kernel / 2 : 0;
        this.padding = new Shape(pad, pad);
        this.groups = groups;
        this.macsPerOutputPixel = (long) out * (in / groups) * kernel * kernel;
    }

    public Conv2d(Parameters p, String name, int in, int out, int kernel) {
        this(p, name, in, out, kernel, 1, 1);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, stride, padding, new Shape(1, 1), groups).singletonOrThrow();
    }
}
