package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** A 2-D convolution with weight [out, in/groups, k, k] and an optional bias [out]. */
public final class Conv2d {

    private final Parameters parameters;
    private final String weightName;
    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final int groups;
    /**
     * Whether inference too runs in whole channel blocks: on AVX-512 CPUs oneDNN's inference kernel for more than one
     * block of input channels that is not a whole number of blocks (24, 40) returned wrong outputs, and different ones
     * from call to call (a 24 → 48 layer, the first of a UNet at half resolution, 42 dB from the exact output); below one
     * block (3, 6: the first layers at full resolution) and at whole blocks it is exact (Conv2dTest).
     */
    private final boolean inferenceNeedsBlocks;
    /** A 1 × 1 kernel at stride 1: a matrix product over channels ({@link #conv}), no convolution kernel and no blocks. */
    private final boolean pointwise;
    public final long macsPerOutputPixel;

    /** A convolution with explicit padding; {@code bias} false gives a weight-only layer (as CLIP's). */
    public Conv2d(Parameters p, String name, int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        double bound = 1.0 / Math.sqrt((double) in / groups * kernel * kernel);
        this.parameters = p;
        this.weightName = name + ".weight";
        this.weight = p.uniform(weightName, new Shape(out, in / groups, kernel, kernel), bound);
        this.bias = bias ? p.uniform(name + ".bias", new Shape(out), bound) : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.groups = groups;
        this.macsPerOutputPixel = (long) out * (in / groups) * kernel * kernel;
        this.pointwise = kernel == 1 && stride == 1 && padding == 0 && groups == 1;
        this.inferenceNeedsBlocks = !pointwise && groups == 1 && in > CHANNEL_BLOCK && in % CHANNEL_BLOCK != 0;
    }

    /** With bias; "same" padding at stride 1, none otherwise. */
    public Conv2d(Parameters p, String name, int in, int out, int kernel, int stride, int groups) {
        this(p, name, in, out, kernel, stride, stride == 1 ? kernel / 2 : 0, groups, true);
    }

    public Conv2d(Parameters p, String name, int in, int out, int kernel) {
        this(p, name, in, out, kernel, 1, 1);
    }

    public NDArray forward(NDArray x) {
        // while a backward pass follows, in whole channel blocks (see padded), frozen weights too: a LoRA base's last
        // layer passes the gradient to its input; and always when the inference kernel is wrong (inferenceNeedsBlocks)
        boolean blocks = !pointwise && groups == 1 && (Tensors.recordsGradients() || inferenceNeedsBlocks);
        if (!blocks && !pointwise && !parameters.computesWeight(weightName)) return conv(x, weight, bias);
        // the padded, reshaped (pointwise) or computed (adapted, normalised) weights are results of operations on a parameter, which DJL
        // would keep on the parameters' manager for the model's lifetime (a leak per step): free every intermediate
        return Tensors.freeingIntermediates(() -> {
            NDArray w = parameters.adapted(weightName, weight);
            return blocks ? padded(x, w) : conv(x, w, bias);
        });
    }

    /** The weight the layer computes with ({@link Parameters#adapted}): a result of operations when adapted or normalised. */
    public NDArray effectiveWeight() { return parameters.adapted(weightName, weight); }

    /** oneDNN's channel block on AVX-512 CPUs. */
    private static final long CHANNEL_BLOCK = 16;

    /**
     * The convolution with weight {@code w} (the layer's own, or its computed one), input and output channels padded
     * with zeros to whole blocks of 16 (nothing to pad for whole blocks). On AVX-512 CPUs, oneDNN's training kernels
     * for channel counts that are not whole blocks (3, 6, 12, ...) returned wrong gradients, or NaN now and then
     * (README, "Performance note"): the weight's gradient, and the input's for output channels that are not whole
     * blocks, even when the weight itself is frozen (measured: relative error 0.6–1.8 for 16 → 3 and 16 → 12
     * channels, 1e-6 for whole blocks). Whole blocks train correctly. Used while a backward pass follows, and at inference
     * for the input channel counts whose inference kernel is wrong too ({@link #inferenceNeedsBlocks}); elsewhere
     * inference keeps the plain, exact and faster path.
     */
    private NDArray padded(NDArray x, NDArray w) {
        Shape s = w.getShape();
        long out = s.get(0), in = s.get(1), outPadded = roundUp(out), inPadded = roundUp(in);
        NDManager m = x.getManager();
        if (inPadded > in) {
            Shape xs = x.getShape();
            x = x.concat(m.zeros(new Shape(xs.get(0), inPadded - in, xs.get(2), xs.get(3))), 1);
            w = w.concat(m.zeros(new Shape(out, inPadded - in, s.get(2), s.get(3))), 1);
        }
        NDArray b = bias;
        if (outPadded > out) {
            w = w.concat(m.zeros(new Shape(outPadded - out, inPadded, s.get(2), s.get(3))), 0);
            if (b != null) b = b.concat(m.zeros(new Shape(outPadded - out)), 0);
        }
        NDArray y = conv(x, w, b);
        return outPadded > out ? y.get(":, 0:" + out) : y;
    }

    private static long roundUp(long channels) { return (channels + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK; }

    /**
     * The convolution. libtorch asks NNPACK first for the layers oneDNN does not take (a 1 × 1 kernel at one thread, any
     * small kernel on one image of at most {@link #ONEDNN_MIN_ELEMENTS} values), and where NNPACK cannot start (it reads
     * the CPU from /sys, which containers may hide) each such call printed "Could not initialize NNPACK!" (56 lines for
     * ETDiffIR on the 640 × 400 sample). So a 1 × 1 layer is the matrix product over channels it is (as fast as
     * libtorch's own 1 × 1 path at one thread, measured; running it dilated instead, to make libtorch pick oneDNN, was
     * 3–5 × slower), and a small input runs as a batch of two copies, which oneDNN takes (at most 20 480 more values' work).
     */
    private NDArray conv(NDArray x, NDArray w, NDArray b) {
        Shape xs = x.getShape();
        if (pointwise) {
            long n = xs.get(0), in = xs.get(1), out = w.getShape().get(0);
            NDArray y = w.reshape(1, out, in).broadcast(new Shape(n, out, in)).matMul(x.reshape(n, in, xs.get(2) * xs.get(3)));
            NDArray result = (b == null ? y : y.add(b.reshape(1, out, 1))).reshape(n, out, xs.get(2), xs.get(3));
            result.attach(x.getManager());        // computed from the weight first, it was the parameters' manager's
            return result;
        }
        boolean small = groups == 1 && w.getShape().get(2) <= 3 && xs.get(0) == 1 && x.size() <= ONEDNN_MIN_ELEMENTS;
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(small ? x.concat(x, 0) : x, w, b, stride, padding, new Shape(1, 1), groups)
                .singletonOrThrow();
        return small ? y.get("0:1") : y;
    }

    /** libtorch gives oneDNN a single image's convolution with a kernel of at most 3 × 3 only above this many input values. */
    private static final long ONEDNN_MIN_ELEMENTS = 20_480;
}
