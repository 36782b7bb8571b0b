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

    @Test
    void fineTextureUnderWhiteNoiseIsNotTakenForDemosaicedNoise() {
        // a busy photo's flattest blocks: fine texture (2 × 2 box, σ 12), the same in R, G and B, under white noise
        // (σ 10) of each channel's own; per channel it reads as neighbour-only correlation (0.5 × 144 / 244 ≈ 0.3)
        Image texture = noisy(12, 2, 4), white = noisy(10, 1, 5);
        float[][] planes = new float[3][];
        for (int c = 0; c < 3; c++) {
            planes[c] = new float[(int) texture.pixels()];
            for (int i = 0; i < planes[c].length; i++) planes[c][i] = texture.plane(0)[i] + white.plane(c)[i] - 0.5f;
        }
        NoiseLevel.Correlation busy = NoiseLevel.correlation(texture.withPlanes(planes));
        assertTrue(busy.lag1() > 0.2 && busy.lag2() < 0.1, "per channel like demosaiced noise: " + busy);
        assertEquals(0, busy.chromaLag1(), 0.06, "R - G and B - G keep only the white noise");
        assertEquals(1, busy.shuffleStride());
        // demosaiced noise is blotchy in colour too, and gray images are judged per channel alone
        assertEquals(0.5, NoiseLevel.correlation(noisy(10, 2, 2)).chromaLag1(), 0.1);
        Image gray = new Image(256, 192, new float[][] {noisy(10, 2, 6).plane(0)}, null, 16, Image.Encoding.SRGB, "gray");
        assertTrue(Double.isNaN(NoiseLevel.correlation(gray).chromaLag1()));
        assertEquals(2, NoiseLevel.correlation(gray).shuffleStride());
    }
}
