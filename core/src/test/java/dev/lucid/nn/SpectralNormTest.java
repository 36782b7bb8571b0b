package dev.lucid.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class SpectralNormTest {

    /** W = diag(s) in a 3 × 4 layer: its largest singular value is max |s|, and y = W x / σ for x = e_i is s_i / σ. */
    @Test
    void dividesTheWeightByItsLargestSingularValueFoundByPowerIteration() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 3)) {
            Linear layer = new Linear(p, "head", 4, 3, false);
            float[] s = {2f, -5f, 1f};
            float[] w = new float[12];
            for (int i = 0; i < 3; i++) w[i * 4 + i] = s[i];
            Tensors.assign(p.asMap().get("head.weight"), m.create(w, new Shape(3, 4)));
            p.normaliseSpectrally(name -> name.startsWith("head."));
            assertTrue(p.asMap().containsKey(Parameters.SPECTRAL_VECTOR + "head.weight"), "u is kept with the parameters");
            NDArray x = m.eye(4).get("0:3");                           // rows e_0, e_1, e_2
            float[] before = layer.forward(x).toFloatArray();
            assertArrayEquals(before, layer.forward(x).toFloatArray(), "inference leaves u alone: same output twice");
            // training passes move u towards the top singular vector: σ → 5
            p.requireGradients(true);
            for (int step = 0; step < 20; step++) {
                try (NDManager scope = m.newSubManager(); GradientCollector gc = Tensors.gradientCollector()) {
                    NDArray input = x.duplicate();
                    input.attach(scope);
                    gc.backward(layer.forward(input).sum());
                }
            }
            p.requireGradients(false);
            float[] y = layer.forward(x).toFloatArray();
            for (int i = 0; i < 3; i++) assertEquals(s[i] / 5f, y[i * 3 + i], 1e-4, "row " + i);
            assertEquals(1, Math.abs(p.asMap().get(Parameters.SPECTRAL_VECTOR + "head.weight").getFloat(1)), 1e-4, "u = ±e_1");
        }
    }

    @Test
    void convolutionWeightsAreNormalisedAsMatricesAndOneDimensionalOnesAreLeft() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 4)) {
            Conv2d conv = new Conv2d(p, "c", 2, 2, 1, 1, 0, 1, true);
            // 1×1 kernels [[3, 4], [0, 0]]: as a matrix its one nonzero singular value is 5
            Tensors.assign(p.asMap().get("c.weight"), m.create(new float[] {3, 4, 0, 0}, new Shape(2, 2, 1, 1)));
            Tensors.assign(p.asMap().get("c.bias"), m.zeros(new Shape(2)));
            p.normaliseSpectrally(name -> true);
            assertTrue(!p.asMap().containsKey(Parameters.SPECTRAL_VECTOR + "c.bias"), "a bias is not a matrix");
            p.requireGradients(true);
            for (int step = 0; step < 5; step++) {
                try (NDManager scope = m.newSubManager(); GradientCollector gc = Tensors.gradientCollector()) {
                    NDArray input = m.ones(new Shape(1, 2, 1, 1));
                    input.attach(scope);
                    gc.backward(conv.forward(input).sum());
                }
            }
            p.requireGradients(false);
            float[] y = conv.forward(m.create(new float[] {1, 1}, new Shape(1, 2, 1, 1))).toFloatArray();
            assertArrayEquals(new float[] {7f / 5, 0}, y, 1e-4f);
        }
    }
}
