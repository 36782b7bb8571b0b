package dev.lucid.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lucid.diffusion.GaussianNoiseSource;
import org.junit.jupiter.api.Test;

class ConditionalUNetTest {

    static ConditionalUNet.Config config() throws Exception {
        return ConditionalUNet.Config.from(new ObjectMapper().readTree(
                "{\"channels\": 3, \"condition_channels\": 3, \"width\": 8, \"multipliers\": [1, 2], \"blocks_per_level\": 1,"
                        + " \"global_dim\": 6, \"context_dim\": 5, \"heads\": 2}"));
    }

    static float diff(NDArray a, NDArray b) { return a.sub(b).abs().max().getFloat(); }

    /** A batch of two: state, image condition, global vector and a 4-token context, from one noise seed. */
    record Inputs(NDArray x, NDArray image, NDArray vector, NDArray context) {
        static Inputs draw(NDManager m, long seed, int h, int w) {
            GaussianNoiseSource src = new GaussianNoiseSource(seed);
            return new Inputs(src.next(m, new Shape(2, 3, h, w)), src.next(m, new Shape(2, 3, h, w)), src.next(m, new Shape(2, 6)), src.next(m, new Shape(2, 4, 5)));
        }
    }

    @Test
    void everyConditionReachesTheOutput() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            ConditionalUNet net = new ConditionalUNet(p, config());
            Inputs in = Inputs.draw(m, 2, 12, 10);
            NDArray x = in.x(), img = in.image(), vec = in.vector(), ctx = in.context();
            float[] t = {10, 500};
            NDArray out = net.forward(x, t, img, vec, ctx);
            assertEquals(x.getShape(), out.getShape());
            assertTrue(diff(out, net.forward(x, new float[] {11, 501}, img, vec, ctx)) > 1e-5, "time");
            assertTrue(diff(out, net.forward(x, t, img.mul(2), vec, ctx)) > 1e-5, "image condition");
            assertTrue(diff(out, net.forward(x, t, img, vec.mul(-1), ctx)) > 1e-5, "global vector");
            assertTrue(diff(out, net.forward(x, t, img, vec, ctx.mul(-1))) > 1e-5, "context");
            assertEquals(0f, diff(out, net.forward(x, t, img, vec, ctx)), "deterministic");
        }
    }

    @Test
    void noCaptionMeansTheLearnedNullNotAZeroVector() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 1)) {
            ConditionalUNet net = new ConditionalUNet(p, config());
            Inputs in = Inputs.draw(m, 3, 8, 8);
            NDArray x = in.x(), img = in.image(), vec = in.vector();
            float[] t = {3, 7};
            NDArray nullVec = p.asMap().get("global_null"), nullCtx = p.asMap().get("context_null");
            NDArray none = net.forward(x, t, img, null, null);
            assertEquals(0f, diff(none, net.forward(x, t, img, nullVec.repeat(0, 2), nullCtx.repeat(0, 2))), 1e-5f, "null = the learned parameters");
            assertTrue(diff(none, net.forward(x, t, img, m.zeros(new Shape(2, 6)), null)) > 1e-6, "null vector is not zero");
            // mixed batch: sample 0 captioned, sample 1 not
            NDArray mixed = net.globalVectors(new dev.lucid.text.CaptionBatch(vec, new boolean[] {false, true}));
            assertEquals(0f, diff(mixed.get(0), vec.get(0)));
            assertEquals(0f, diff(mixed.get(1), nullVec.get(0)));
        }
    }

    @Test
    void learnsToPredictTheCleanImage() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); Parameters p = new Parameters(m, 3)) {
            ConditionalUNet net = new ConditionalUNet(p, ConditionalUNet.Config.from(new ObjectMapper().readTree(
                    "{\"channels\": 1, \"condition_channels\": 1, \"width\": 8, \"multipliers\": [1, 2]}")));
            p.requireGradients(true);
            GaussianNoiseSource src = new GaussianNoiseSource(4);
            NDArray clean = src.next(m, new Shape(4, 1, 8, 8)).mul(0.2f).add(0.5f);
            NDArray noisy = clean.add(src.next(m, clean.getShape()).mul(0.1f));
            float first = 0, last = 0;
            for (int step = 0; step < 60; step++) {
                try (NDManager s = m.newSubManager(); GradientCollector gc = Tensors.gradientCollector()) {
                    NDArray x = noisy.duplicate();
                    x.attach(s);
                    NDArray loss = net.forward(x, ConditionalUNet.steps(4, 5), noisy, null, null).sub(clean).abs().mean();
                    gc.backward(loss);
                    if (step == 0) first = loss.getFloat();
                    last = loss.getFloat();
                }
                for (NDArray w : p.asMap().values()) {
                    NDArray g = w.getGradient();
                    w.subi(g.mul(0.02f));
                    g.subi(g);
                    g.close();
                }
            }
            assertTrue(last < 0.5 * first, "L1 fell from " + first + " to " + last);
        }
    }
}
