package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SeparableFilterTest {

    @Test
    void gaussianTapsAreSymmetricAndSumToOne() {
        double[] taps = SeparableFilter.gaussian(1.5, 5);
        assertEquals(11, taps.length);
        double sum = 0;
        for (int i = 0; i < taps.length; i++) {
            sum += taps[i];
            assertEquals(taps[i], taps[taps.length - 1 - i], 1e-15);
        }
        assertEquals(1, sum, 1e-12);
        assertEquals(Math.exp(-0.5 / 2.25), taps[6] / taps[5], 1e-12);
    }

    @Test
    void anImpulseInsideGivesTheKernelsOuterProduct() {
        double[] taps = {0.25, 0.5, 0.25};
        int w = 5, h = 5;
        double[] v = new double[w * h];
        v[2 * w + 2] = 1;
        double[] out = SeparableFilter.apply(v, w, h, taps);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double expected = Math.abs(x - 2) <= 1 && Math.abs(y - 2) <= 1 ? taps[x - 1] * taps[y - 1] : 0;
                assertEquals(expected, out[y * w + x], 1e-15, "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void bordersAreMirroredWithoutRepeatingTheEdge() {
        // One row 1, 2, 3 with taps (1, 0, 0): each output is its left neighbour, mirrored at x = −1 to x = 1.
        assertArrayEquals(new double[] {2, 1, 2}, SeparableFilter.apply(new double[] {1, 2, 3}, 3, 1, new double[] {1, 0, 0}), 1e-15);
        // A constant plane stays constant under normalised taps, edges included.
        double[] constant = new double[4 * 3];
        java.util.Arrays.fill(constant, 0.7);
        for (double v : SeparableFilter.apply(constant, 4, 3, SeparableFilter.gaussian(2, 6))) assertEquals(0.7, v, 1e-12);
    }
}
