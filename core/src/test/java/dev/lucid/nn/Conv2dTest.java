package dev.lucid.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class Conv2dTest {

    @Test
    void trainingInWholeChannelBlocksComputesTheSameAndLeavesNothingBehind() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            Conv2d conv = new Conv2d(p, "c", 3, 6, 3);
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 12, 10));
            float[] plain = conv.forward(x).toFloatArray();           // inference path: no gradients recorded
            p.requireGradients(true);
            int before = p.manager().getManagedArrays().size();
            for (int step = 0; step < 3; step++) {
                try (NDManager s = m.newSubManager(); GradientCollector gc = Tensors.gradientCollector()) {
                    NDArray input = x.duplicate();
                    input.attach(s);
                    NDArray y = conv.forward(input);
                    assertArrayEquals(plain, y.toFloatArray(), 1e-5f, "padded channels change nothing");
                    assertEquals(new Shape(2, 6, 12, 10), y.getShape());
                    gc.backward(y.square().mean());
                }
            }
            assertEquals(before, p.manager().getManagedArrays().size(), "the padded weights are freed every step");
        }
    }

    @Test
    void inferenceComputesWhatTheSameConvolutionInWholeChannelBlocksDoes() {
        // The first and last layers of the UNets that ship or train: full resolution (6 → 16, 16 → 3) and half
        // resolution (24 → 48, 48 → 12), and 40 → 32, on a tile's worth of pixels, several times over, against the convolution
        // with its channels padded with zeros to whole blocks (the same sum, exactly). On AVX-512 oneDNN's inference
        // kernel for 24 → 48 and 40 → 32 was wrong (42 dB from the exact output) and not even repeatable from call to
        // call, until Conv2d ran such layers in whole blocks.
        // The last two are single images small enough to run as a batch of two copies (Conv2d.conv).
        int[][] shapes = {{6, 16, 256}, {16, 3, 256}, {48, 12, 128}, {40, 32, 128}, {24, 48, 128}, {6, 16, 40}, {128, 64, 8}};
        for (int[] shape : shapes) {
            try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 3)) {
                Conv2d conv = new Conv2d(p, "c", shape[0], shape[1], 3);
                NDArray w = p.asMap().get("c.weight"), b = p.asMap().get("c.bias");
                long in = 16 * ((shape[0] + 15) / 16), out = 16 * ((shape[1] + 15) / 16);
                NDArray wPadded = m.zeros(new Shape(out, in, 3, 3));
                wPadded.set(new ai.djl.ndarray.index.NDIndex("0:" + shape[1] + ", 0:" + shape[0]), w);
                NDArray bPadded = m.zeros(new Shape(out));
                bPadded.set(new ai.djl.ndarray.index.NDIndex("0:" + shape[1]), b);
                for (int call = 0; call < 3; call++) {
                    NDArray x = m.randomUniform(-1, 1, new Shape(1, shape[0], shape[2], shape[2]));
                    NDArray xPadded = m.zeros(new Shape(1, in, shape[2], shape[2]));
                    xPadded.set(new ai.djl.ndarray.index.NDIndex(":, 0:" + shape[0]), x);
                    NDArray exact = ai.djl.nn.convolutional.Conv2d.conv2d(xPadded, wPadded, bPadded, new Shape(1, 1), new Shape(1, 1))
                            .singletonOrThrow().get(":, 0:" + shape[1]);
                    assertArrayEquals(exact.toFloatArray(), conv.forward(x).toFloatArray(), 1e-4f, shape[0] + " → " + shape[1] + ", call " + call);
                }
            }
        }
    }

    @Test
    void aPointwiseLayerComputesEachPixelsChannelSum() {
        // 1 × 1 layers are a matrix product over channels (Conv2d.conv): the same as libtorch's convolution
        int[][] shapes = {{32, 64}, {64, 32}, {40, 24}, {16, 3}};
        for (int[] shape : shapes) {
            try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 5)) {
                Conv2d conv = new Conv2d(p, "c", shape[0], shape[1], 1);
                NDArray x = m.randomUniform(-1, 1, new Shape(2, shape[0], 24, 20));
                NDArray expected = ai.djl.nn.convolutional.Conv2d.conv2d(x, p.asMap().get("c.weight"), p.asMap().get("c.bias")).singletonOrThrow();
                NDArray y = conv.forward(x);
                assertEquals(expected.getShape(), y.getShape());
                assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-4f, shape[0] + " → " + shape[1]);
            }
        }
    }

    @Test
    void aFrozenOrComputedWeightPassesTheExactGradientToItsInput() {
        // A LoRA adaptation freezes the base, whose last layer has 3 output channels. oneDNN's AVX-512 kernels gave
        // that layer's input a wrong gradient (relative error 0.6–1.8, even its sign, or NaN) when it was computed
        // unpadded, and the adaptation diverged; so did layers whose weight is computed (spectrally normalised or
        // adapted), which DJL reports as recording no gradient. L = Σ conv(x)·t is linear in x, so
        // ⟨∂L/∂x, d⟩ = Σ conv₀(d)·t (conv₀ without bias).
        // 1 × 1 layers (a matrix product, Conv2d.conv) the same way.
        for (int kernel : new int[] {3, 1}) for (boolean spectral : new boolean[] {false, true}) for (int out : new int[] {3, 12, 16}) {
            try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 2)) {
                Conv2d conv = new Conv2d(p, "c", 16, out, kernel);
                if (spectral) p.normaliseSpectrally(name -> name.endsWith(".weight")); // frozen: u stays, the weight too
                NDArray x = m.randomUniform(-1, 1, new Shape(4, 16, 32, 32)), d = m.randomUniform(-1, 1, x.getShape());
                NDArray t = m.randomUniform(-1, 1, new Shape(4, out, 32, 32));
                x.setRequiresGradient(true);
                try (GradientCollector gc = Tensors.gradientCollector()) {
                    gc.backward(conv.forward(x).mul(t).sum());
                }
                NDArray gradientTerms = x.getGradient().mul(d);
                NDArray bias = p.asMap().get("c.bias");
                NDArray exactTerms = conv.forward(d).sub(bias.reshape(1, out, 1, 1)).mul(t);
                double analytic = gradientTerms.sum().getFloat(), exact = exactTerms.sum().getFloat();
                // Both sides are float sums of 10⁴–10⁵ terms of either sign that largely cancel, so their rounding scales
                // with Σ|term|, not with the result (1e-4 of a result of 0.13 failed by rounding alone): 1e-6 of it is
                // about a tenth of one term, while a wrong gradient (relative error ≥ 0.6 per element) moves the sum by
                // hundreds of terms.
                double scale = gradientTerms.abs().sum().getFloat() + exactTerms.abs().sum().getFloat();
                assertEquals(exact, analytic, 1e-6 * scale, kernel + "², " + out + " output channels" + (spectral ? ", spectrally normalised" : ""));
            }
        }
    }

    @Test
    void depthwiseGradientsMatchTheSameConvolutionWrittenDense() {
        // ERUNet's blocks are depthwise 7×7 convolutions. oneDNN gave wrong gradients for some dense shapes on
        // AVX-512 CPUs (see forwardInWholeBlocks), so check the grouped kernels against a dense convolution whose
        // weight holds the same kernels on its diagonal (zero elsewhere): same output, same input and kernel gradients.
        // Whole channel blocks only: the dense reference itself is wrong below them on such CPUs.
        for (int channels : new int[] {16, 32, 64, 128, 256}) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.randomUniform(-1, 1, new Shape(2, channels, 17, 13));
                NDArray kernels = m.randomUniform(-0.2f, 0.2f, new Shape(channels, 1, 7, 7));
                NDArray mask = m.eye(channels).reshape(channels, channels, 1, 1);
                NDArray[] depthwise = gradients(m, x, kernels, channels, null);
                NDArray[] dense = gradients(m, x, kernels, 1, mask);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(dense[i].toFloatArray(), depthwise[i].toFloatArray(), 1e-4f, channels + " channels, part " + i);
                }
            }
        }
    }

    /** Output, input gradient and kernel gradient of a 7×7 "same" convolution with the loss Σ y·ramp. */
    private static NDArray[] gradients(NDManager m, NDArray x0, NDArray kernels0, int groups, NDArray diagonal) {
        NDArray x = x0.duplicate(), kernels = kernels0.duplicate();
        x.setRequiresGradient(true);
        kernels.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray w = diagonal == null ? kernels : kernels.reshape(1, kernels.getShape().get(0), 7, 7).mul(diagonal);
            NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(3, 3), new Shape(1, 1), groups).singletonOrThrow();
            NDArray ramp = m.arange((float) y.getShape().size()).reshape(y.getShape()).div((float) y.getShape().size());
            gc.backward(y.mul(ramp).sum());
            return new NDArray[] {y.duplicate(), x.getGradient().duplicate(), kernels.getGradient().duplicate()};
        }
    }
}
