package dev.lucid.method.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.image.Image;
import dev.lucid.image.PixelShuffle;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseBankAdaptationTest {

    /** The batch's sub-images are PixelShuffle.split's, in its order: the pseudo-clean image merges them as a photo's. */
    @Test
    void shuffleGivesEachPatchsSubImagesInSplitsOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 2, c = 3, h = 8, w = 12;
            NDArray x = m.arange((float) n * c * h * w).reshape(n, c, h, w);
            float[] all = x.toFloatArray();
            for (int s = 1; s <= 4; s++) {
                if (h % s != 0 || w % s != 0) continue;
                NDArray shuffled = SelfSupervisedAdaptation.shuffle(x, s);
                assertEquals(new Shape((long) n * s * s, c, h / s, w / s), shuffled.getShape());
                float[] sub = shuffled.toFloatArray();
                for (int i = 0; i < n; i++) {
                    float[][] planes = new float[c][];
                    for (int ch = 0; ch < c; ch++) planes[ch] = Arrays.copyOfRange(all, (i * c + ch) * h * w, (i * c + ch + 1) * h * w);
                    List<Image> parts = PixelShuffle.split(new Image(w, h, planes, null, 8, Image.Encoding.SRGB, "patch"), s);
                    for (int k = 0; k < s * s; k++) {
                        for (int ch = 0; ch < c; ch++) {
                            int from = ((i * s * s + k) * c + ch) * (h / s) * (w / s);
                            assertArrayEquals(parts.get(k).plane(ch), Arrays.copyOfRange(sub, from, from + h / s * (w / s)), 0f,
                                    "stride " + s + ", patch " + i + ", sub-image " + k);
                        }
                    }
                }
            }
        }
    }

    /**
     * Two images of 4 × 4 blocks: the first flat (p constant) with a residual that names its block, the second a
     * checkerboard, as rough as can be. Every lent block must be a whole residual block of the flat image (as is or turned
     * 180°), the brighter flat half lending to the brighter destinations.
     */
    @Test
    void everyBlockOfNoiseIsAWholeResidualBlockOfAFlatRegionOfSimilarBrightness() {
        int b = NoiseBankAdaptation.BLOCK, n = 2, c = 3, side = 4 * b;
        float[] p = new float[n * c * side * side], residual = new float[p.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int flat = (ch * side + y) * side + x, rough = ((c + ch) * side + y) * side + x;
                    p[flat] = x < side / 2 ? 0.2f : 0.8f;                       // two flat halves, dark and bright
                    int block = (y / b) * 4 + x / b;
                    residual[flat] = 1000 * (block + 1) + (y % b) * b + x % b;   // block id and place in it
                    p[rough] = (x + y) % 2 == 0 ? 0.1f : 0.9f;                 // a checkerboard: nothing flat
                    residual[rough] = -1;
                }
            }
        }
        float[] noise = NoiseBankAdaptation.lend(p, residual, new Shape(n, c, side, side), 0.25, new SplittableRandom(3));
        Set<Integer> used = new HashSet<>();
        int matched = 0;
        for (int image = 0; image < n; image++) {
            for (int by = 0; by < 4; by++) {
                for (int bx = 0; bx < 4; bx++) {
                    int first = ((image * c) * side + by * b) * side + bx * b;
                    int id = (int) noise[first] / 1000;
                    assertTrue(id >= 1, "lent from the flat image only");
                    used.add(id);
                    int place = (int) noise[first] % 1000;
                    boolean turned = place == b * b - 1;
                    assertTrue(turned || place == 0, "a block starts at a corner of its source");
                    for (int ch = 0; ch < c; ch++) {
                        for (int y = 0; y < b; y++) {
                            for (int x = 0; x < b; x++) {
                                int expected = turned ? (b - 1 - y) * b + (b - 1 - x) : y * b + x;
                                assertEquals(1000 * id + expected, noise[((image * c + ch) * side + by * b + y) * side + bx * b + x], 0f);
                            }
                        }
                    }
                    if (image == 0 && bx < 2 == (id - 1) % 4 < 2) matched++;
                }
            }
        }
        // the nearest of 6 candidates misses only when all 6 come from the other half (1 in 32)
        assertTrue(matched >= 14, "dark blocks get dark noise, bright get bright: " + matched + " of 16");
        assertTrue(used.size() > 4, "draws vary: " + used);
    }
}
