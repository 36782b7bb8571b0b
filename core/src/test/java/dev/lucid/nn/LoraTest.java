package dev.lucid.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoraTest {

    private static final UNet.Config CONFIG = new UNet.Config(3, 3, new int[] {16, 32}, new int[] {1}, 1, new int[] {1});

    private static UNet network(Parameters p) { return new UNet(p, CONFIG, ResBlock::new, false, true); }

    /** Gives every residual branch and adapter non-zero values, so that both change the output. */
    private static void randomise(NDManager m, Parameters p) {
        for (Map.Entry<String, NDArray> e : p.asMap().entrySet()) {
            Tensors.assign(e.getValue(), m.randomUniform(-0.2f, 0.2f, e.getValue().getShape()));
        }
    }

    @Test
    void adaptersGoOnEveryConvolutionAndStartAsNothing() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            UNet net = network(p);
            randomise(m, p);
            NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 16, 12));
            float[] before = net.forward(x).toFloatArray();
            long baseCount = p.count();
            // intro 3→16 (27 inputs), 2 block convs, down, 2 middle convs, up, 2 decoder convs, ending 16→3: the ending
            // has 3 outputs, not more than rank 4, so it keeps its base weight
            assertEquals(9, Lora.attach(p, 4, 4, name -> true));
            NDArray introDown = p.asMap().get("intro.lora_down"), introUp = p.asMap().get("intro.lora_up");
            assertEquals(new Shape(4, 27), introDown.getShape());
            assertEquals(new Shape(16, 4), introUp.getShape());
            assertEquals(4L * (27 + 16), p.select(n -> n.startsWith("intro.lora")).values().stream().mapToLong(NDArray::size).sum());
            assertTrue(p.count() > baseCount);
            assertArrayEquals(before, net.forward(x).toFloatArray(), 0f, "the up-projection starts at zero: the network is unchanged");
        }
    }

    @Test
    void mergingGivesTheSameOutputAsTheAttachedAdapters() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 2)) {
            UNet net = network(p);
            Lora.attach(p, 2, 3, name -> true);
            randomise(m, p);
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 16, 16));
            float[] adapted = net.forward(x).toFloatArray();
            float[] base = p.withoutAdapters(() -> net.forward(x).toFloatArray());
            double change = 0;
            for (int i = 0; i < base.length; i++) change = Math.max(change, Math.abs(base[i] - adapted[i]));
            assertTrue(change > 1e-2, "the adapters change the output: " + change);
            Lora.merge(p);
            assertTrue(!p.computesWeight("intro.weight"));
            assertArrayEquals(adapted, net.forward(x).toFloatArray(), 1e-4f, "W + (α/r)·U·D folded in");
        }
    }

    @Test
    void onlyTheAdaptersReceiveGradients() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 3)) {
            UNet net = network(p);
            randomise(m, p);
            Lora.attach(p, 4, 4, name -> true);
            p.select(Lora::isAdapterTensor).values().forEach(a -> a.setRequiresGradient(true));
            NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 16, 16));
            try (GradientCollector gc = Tensors.gradientCollector()) {
                gc.backward(net.forward(x).square().mean());
            }
            // U starts at zero, so D's gradient is zero at first; U's is not
            assertTrue(p.asMap().get("middle.0.conv1.lora_up").getGradient().abs().sum().getFloat() > 0);
            assertTrue(!p.asMap().get("middle.0.conv1.weight").hasGradient(), "the base weight is frozen");
        }
    }

    @Test
    void anAdapterFileMustFitTheModel() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 4); Parameters other = new Parameters(m, 4)) {
            network(p);
            Lora.attach(p, 4, 4, name -> true);
            NDList saved = Lora.tensors(p);
            assertEquals(18, saved.size());
            Lora.load(p, saved);                               // its own file loads
            new UNet(other, new UNet.Config(3, 3, new int[] {16, 32}, new int[] {1}, 1, new int[] {1}), ResBlock::new, false, true);
            Lora.attach(other, 3, 3, name -> true);            // the same layers, another rank
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lora.load(other, saved));
            assertEquals("the adapter does not fit this model: intro.lora_down has shape (4, 27), the model's (3, 27)", e.getMessage());
            NDList fewer = new NDList(saved.subNDList(1));
            e = assertThrows(IllegalArgumentException.class, () -> Lora.load(p, fewer));
            assertEquals("the adapter does not fit this model: it lacks intro.lora_down", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Lora.attach(p, 0, 1, name -> true));
        }
    }
}
