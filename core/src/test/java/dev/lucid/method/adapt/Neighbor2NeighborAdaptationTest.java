package dev.lucid.method.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Neighbor2NeighborAdaptationTest {

    @Test
    void theTwoSubImagesTakeTwoSideSharingPixelsOfEveryCell() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 2, c = 3, h = 8, w = 6;
            float[] v = new float[n * c * h * w];
            // pixel value encodes its place: channel*1000 + y*10 + x
            for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
                v[((b * c + ch) * h + y) * w + x] = ch * 1000 + y * 10 + x;
            }
            NDArray image = m.create(v, new Shape(n, c, h, w));
            NDArray[] masks = Neighbor2NeighborAdaptation.neighbourMasks(m, image.getShape(), new SplittableRandom(5));
            float[] g1 = Neighbor2NeighborAdaptation.subsample(image, masks[0]).toFloatArray();
            float[] g2 = Neighbor2NeighborAdaptation.subsample(image, masks[1]).toFloatArray();
            assertEquals(n * c * (h / 2) * (w / 2), g1.length);
            int[] directions = new int[2];
            for (int i = 0; i < g1.length; i++) {
                int cell = i % ((h / 2) * (w / 2)), cy = cell / (w / 2), cx = cell % (w / 2), ch = (i / ((h / 2) * (w / 2))) % c;
                int y1 = (int) (g1[i] % 1000) / 10, x1 = (int) (g1[i] % 10), y2 = (int) (g2[i] % 1000) / 10, x2 = (int) (g2[i] % 10);
                assertEquals(ch, (int) g1[i] / 1000, "the same channel");
                assertTrue(y1 / 2 == cy && x1 / 2 == cx && y2 / 2 == cy && x2 / 2 == cx, "both pixels in cell " + cy + "," + cx);
                assertEquals(1, Math.abs(y1 - y2) + Math.abs(x1 - x2), "side-sharing neighbours: " + g1[i] + " / " + g2[i]);
                directions[y1 == y2 ? 0 : 1]++;
                if (ch > 0) {                                  // every channel takes the same pixel of a cell
                    int first = i - ch * (h / 2) * (w / 2);
                    assertEquals(g1[first] + ch * 1000, g1[i], 0f);
                }
            }
            assertTrue(directions[0] > 0 && directions[1] > 0, "horizontal and vertical pairs both occur");
        }
    }
}
