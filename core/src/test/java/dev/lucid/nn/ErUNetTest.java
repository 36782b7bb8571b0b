package dev.lucid.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErUNetTest {

    private static final ErUNet.Config CONFIG = new ErUNet.Config(3, 16, new int[] {1, 2}, new int[] {1, 1}, new int[] {1, 1}, 1, 7, 2, 1, 8, 16);

    @Test
    void globalResponseNormHasAFiniteGradientForAChannelThatIsZeroEverywhere() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray h = m.randomUniform(-1, 1, new Shape(2, 4, 5, 5)).mul(m.create(new float[] {1, 0, 1, 1}, new Shape(1, 4, 1, 1)));
            NDArray gamma = m.ones(new Shape(1, 4, 1, 1)), beta = m.zeros(new Shape(1, 4, 1, 1));
            h.setRequiresGradient(true);
            gamma.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(ErUNet.globalResponseNorm(h, gamma, beta).sum());
            }
            for (NDArray g : new NDArray[] {h.getGradient(), gamma.getGradient()}) {
                assertFalse(g.isNaN().logicalOr(g.isInfinite()).any().getBoolean(), "finite gradients");
            }
        }
    }

    @Test
    void everyResidualBranchStartsAtZero() {
        // the step, prompt and context reach the network only inside its residual branches (FiLM, cross-attention):
        // a new network gives the same output whatever they are, and its first layers see x_t from the start
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            ErUNet net = new ErUNet(p, CONFIG);
            NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 16, 16)), mu = m.randomUniform(0, 1, new Shape(1, 3, 16, 16));
            float[] a = net.forward(x, new float[] {1}, mu, m.zeros(new Shape(1, 8)), m.zeros(new Shape(1, 2, 16))).toFloatArray();
            float[] b = net.forward(x, new float[] {90}, mu, m.ones(new Shape(1, 8)), m.ones(new Shape(1, 2, 16))).toFloatArray();
            assertArrayEquals(a, b, 1e-6f);
            float[] other = net.forward(mu, new float[] {1}, mu, m.zeros(new Shape(1, 8)), m.zeros(new Shape(1, 2, 16))).toFloatArray();
            assertFalse(Arrays.equals(a, other), "x_t reaches the output");
            assertEquals(0f, p.asMap().get("encoder.0.0.reduce.weight").abs().sum().getFloat());
        }
    }
}
