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
                try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
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
}
