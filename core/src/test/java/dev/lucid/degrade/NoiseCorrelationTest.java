package dev.lucid.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.image.Image;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseCorrelationTest {

    /** A flat gray image plus Gaussian noise of σ (8-bit), box-filtered over k × k pixels (×k to keep σ): lag d shares k − d of k columns. */
    private static Image noisy(double sigma, int k, long seed) {
        int w = 256, h = 192;
        SplittableRandom random = new SplittableRandom(seed);
        float[][] planes = new float[3][w * h];
        for (float[] plane : planes) {
            double[] white = new double[(w + k) * (h + k)];
            for (int i = 0; i < white.length; i++) {
                double u = random.nextDouble(), v = random.nextDouble();
                white[i] = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    for (int dy = 0; dy < k; dy++) for (int dx = 0; dx < k; dx++) sum += white[(y + dy) * (w + k) + x + dx];
                    plane[y * w + x] = (float) (0.5 + sigma / 255 * sum / k);
                }
            }
        }
        return new Image(w, h, planes, null, 16, Image.Encoding.SRGB, "test");
    }

    @Test
    void readsTheNoiseLevelAndHowFarItIsCorrelated() {
        NoiseLevel.Correlation white = NoiseLevel.correlation(noisy(10, 1, 1));
        assertEquals(10, white.sigma(), 1.0);
        assertEquals(0, white.lag1(), 0.06);
        assertEquals(0, white.lag2(), 0.06);
        assertEquals(1, white.shuffleStride(), "independent noise needs no pixel shuffle");
        // 2 × 2 box: neighbours share half the draws (0.5), pixels 2 apart none
        NoiseLevel.Correlation demosaiced = NoiseLevel.correlation(noisy(10, 2, 2));
        assertEquals(0.5, demosaiced.lag1(), 0.1);
        assertEquals(0, demosaiced.lag2(), 0.08);
        assertEquals(2, demosaiced.shuffleStride());
        // 4 × 4 box: 0.75 one pixel apart and still 0.5 two apart, which a stride of 2 does not undo; the plane taken out
        // of each 16² block takes some of such slow noise with it, so the reading is low (as on PolyU's photos)
        NoiseLevel.Correlation coarse = NoiseLevel.correlation(noisy(10, 4, 3));
        assertTrue(coarse.lag1() > 0.5 && coarse.lag1() < 0.8, "lag 1: " + coarse.lag1());
        assertTrue(coarse.lag2() > 0.2 && coarse.lag2() < 0.55, "lag 2: " + coarse.lag2());
        assertEquals(1, coarse.shuffleStride());
        assertEquals(0, NoiseLevel.correlation(new Image(8, 8, new float[3][64], null, 8, Image.Encoding.SRGB, "tiny")).blocks(), "no whole block");
    }
}
