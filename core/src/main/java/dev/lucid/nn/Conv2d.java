package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** A 2-D convolution with weight [out, in/groups, k, k] and an optional bias [out]. */
public final class Conv2d {

    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final int groups;
    final long macsPerOutputPixel;

    /** A convolution with explicit padding; {@code bias} false gives a weight-only layer (as CLIP's). */
    public Conv2d(Parameters p, String name, int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        double bound = 1.0 / Math.sqrt((double) in / groups * kernel * kernel);
        this.weight = p.uniform(name + ".weight", new Shape(out, in / groups, kernel, kernel), bound);
        this.bias = bias ? p.uniform(name + ".bias", new Shape(out), bound) : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.groups = groups;
        this.macsPerOutputPixel = (long) out * (in / groups) * kernel * kernel;
    }

    /** With bias; "same" padding at stride 1, none otherwise. */
    public Conv2d(Parameters p, String name, int in, int out, int kernel, int stride, int groups) {
        this(p, name, in, out, kernel, stride, stride == 1 ? kernel / 2 : 0, groups, true);
    }

    public Conv2d(Parameters p, String name, int in, int out, int kernel) {
        this(p, name, in, out, kernel, 1, 1);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, stride, padding, new Shape(1, 1), groups).singletonOrThrow();
    }
}
