package dev.lucid.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class UNetTest {

    private static final UNet.Config SMALL = new UNet.Config(3, 3, new int[] {4, 8}, new int[] {1}, 1, new int[] {1});

    private static UNet resUNet(Parameters p) { return new UNet(p, SMALL, ResBlock::new, false, true); }

    @Test
    void countsParametersAndMultiplyAccumulatesByHand() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            UNet net = resUNet(p);
            // intro 3→4 3×3: 108; encoder block 2×(4·4·9): 288; down 4→8 2×2: 128; middle 2×(8·8·9): 1152;
            // up 8→16 1×1: 128; decoder block: 288; ending 4→3 3×3: 108 (no biases)
            assertEquals(108 + 288 + 128 + 1152 + 128 + 288 + 108, p.count());
            // per input pixel: the down, middle and up layers run on a quarter of the pixels
            assertEquals(108 + 288 + 128 / 4 + 1152 / 4 + 128 / 4 + 288 + 108, net.macsPerPixel());
            assertEquals(2, net.sizeMultiple());
        }
    }

    @Test
    void theShippedModelHasTheSizeItsCardStates() throws Exception {
        dev.lucid.model.ModelCard card = dev.lucid.model.ModelFiles.open("lucid-real-v1").card();
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            ImageNetwork net = Architectures.build(p, card.architecture());
            assertEquals(card.tree().get("parameters").asLong(), p.count());
            assertEquals(card.tree().get("flops_per_pixel").asLong(), 2 * net.macsPerPixel());
        }
        dev.lucid.model.ModelCard v2 = dev.lucid.model.ModelFiles.open("lucid-real").card();     // the UNet and its noise estimator
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            dev.lucid.method.Method method = dev.lucid.method.Methods.build(p, v2.tree());
            assertEquals(v2.tree().get("parameters").asLong(), p.count());
            assertEquals(v2.tree().get("flops_per_pixel").asLong(), 2 * method.shape().macsPerPixel());
        }
    }

    @Test
    void aNewNetworkReturnsItsInput() {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 7)) {
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 8, 6));
            assertArrayEquals(x.toFloatArray(), resUNet(p).forward(x).toFloatArray(), 0f);
        }
    }

    @Test
    void aWarmStartIntoWiderLevelsComputesWhatTheNarrowNetworkDid() {
        UNet.Config wide = new UNet.Config(3, 3, new int[] {6, 12}, new int[] {1}, 1, new int[] {1});
        try (NDManager m = NDManager.newBaseManager(); Parameters narrow = new Parameters(m, 3); Parameters widened = new Parameters(m, 4)) {
            UNet old = resUNet(narrow);
            for (NDArray a : narrow.asMap().values()) a.addi(m.randomNormal(a.getShape()).mul(0.1f));  // "trained": no zero branch
            UNet net = new UNet(widened, wide, ResBlock::new, false, true);
            int[] counts = widened.warmStart(narrow.toNDList());
            assertEquals(0, counts[2], "every tensor of the narrow network has a place in the wide one");
            NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 8, 10));
            assertArrayEquals(old.forward(x).toFloatArray(), net.forward(x).toFloatArray(), 1e-5f);
            NDArray intro = widened.asMap().get("intro.weight");
            assertEquals(4 + 2, intro.getShape().get(0));
            assertTrue(intro.get("4:").abs().sum().getFloat() > 0, "the new channels start fresh, so they can learn");
        }
    }

    @Test
    void withZeroResidualsTheNetworkIsItsSkeleton() {
        // With every residual branch at zero the network is x + ending(intro(x) + up(down(intro(x)))): check that
        // by computing the same from the layers' weights with plain convolutions.
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 7)) {
            UNet net = resUNet(p);
            NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 8, 6));
            var w = p.asMap();
            w.get("ending.weight").addi(m.randomUniform(-0.3f, 0.3f, w.get("ending.weight").getShape()));
            NDArray h = conv(x, w.get("intro.weight"), 1, 1);
            NDArray up = UNet.pixelShuffle(conv(conv(h, w.get("downs.0.weight"), 2, 0), w.get("ups.0.weight"), 1, 0));
            NDArray expected = x.add(conv(up.add(h), w.get("ending.weight"), 1, 1));
            assertArrayEquals(expected.toFloatArray(), net.forward(x).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void atHalfResolutionTheNetworkWorksOnTheFoldedPixelPhases() {
        UNet.Config half = new UNet.Config(3, 3, new int[] {4, 8}, new int[] {1}, 1, new int[] {1}, true);
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 7)) {
            UNet net = new UNet(p, half, ResBlock::new, false, true);
            // intro 12→4: 432; encoder block 288; down 128; middle 1152; up 128; decoder block 288; ending 4→12: 432
            assertEquals(432 + 288 + 128 + 1152 + 128 + 288 + 432, p.count());
            assertEquals((432 + 288 + 128 / 4 + 1152 / 4 + 128 / 4 + 288 + 432) / 4, net.macsPerPixel());
            assertEquals(4, net.sizeMultiple());
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 8, 12));
            assertArrayEquals(x.toFloatArray(), net.forward(x).toFloatArray(), 0f, "a new network is the identity");
            // the skeleton with zero residuals, as above, on the 2×2 phases: x + shuffle(ending(h + up(down(h))))
            var w = p.asMap();
            w.get("ending.weight").addi(m.randomUniform(-0.3f, 0.3f, w.get("ending.weight").getShape()));
            NDArray h = conv(UNet.pixelUnshuffle(x), w.get("intro.weight"), 1, 1);
            NDArray up = UNet.pixelShuffle(conv(conv(h, w.get("downs.0.weight"), 2, 0), w.get("ups.0.weight"), 1, 0));
            NDArray expected = x.add(UNet.pixelShuffle(conv(up.add(h), w.get("ending.weight"), 1, 1)));
            assertArrayEquals(expected.toFloatArray(), net.forward(x).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void pixelUnshuffleFoldsEachPhaseIntoItsChannelAndShuffleUnfoldsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(0f, 32f).reshape(1, 2, 4, 4);
            NDArray folded = UNet.pixelUnshuffle(x);
            assertEquals(new Shape(1, 8, 2, 2), folded.getShape());
            // channel c·4 + dy·2 + dx holds x[c, 2i + dy, 2j + dx]: channel 3 of plane 0 is the odd rows' odd columns
            assertArrayEquals(new float[] {5, 7, 13, 15}, folded.get(0, 3).toFloatArray(), 0f);
            assertArrayEquals(new float[] {16, 18, 24, 26}, folded.get(0, 4).toFloatArray(), 0f);
            assertArrayEquals(x.toFloatArray(), UNet.pixelShuffle(folded).toFloatArray(), 0f);
        }
    }

    @Test
    void rejectsInconsistentLevels() {
        assertThrows(IllegalArgumentException.class, () -> new UNet.Config(3, 3, new int[] {4, 8}, new int[] {1, 1}, 1, new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new UNet.Config(3, 3, new int[] {4, 8, 16}, new int[] {1, 1}, 1, new int[] {1}));
    }

    private static NDArray conv(NDArray x, NDArray weight, int stride, int padding) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, null, new Shape(stride, stride), new Shape(padding, padding)).singletonOrThrow();
    }
}
