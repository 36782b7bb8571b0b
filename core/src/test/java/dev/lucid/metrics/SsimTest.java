package dev.lucid.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The row-streamed SSIM against the definition, window by window, and its memory. */
class SsimTest {

    @Test
    void equalsTheWindowByWindowDefinition() {
        SplittableRandom random = new SplittableRandom(11);
        for (int[] size : new int[][]{{7, 7}, {11, 11}, {13, 29}, {40, 17}}) {
            int w = size[0], h = size[1];
            float[] x = new float[w * h], y = new float[w * h];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble();
                y[i] = (float) Math.min(1, Math.max(0, x[i] + 0.2 * (random.nextDouble() - 0.5)));
            }
            for (Ssim.Window window : Ssim.Window.values()) {
                if (Ssim.kernel(window).length > Math.min(w, h)) continue;
                assertEquals(definition(x, y, w, h, window), Ssim.channel(x, y, w, h, 1.0, window), 1e-12, w + "x" + h + " " + window);
            }
        }
    }

    @Test
    void memoryDoesNotGrowWithTheImage() {
        int w = 3000, h = 2000;                                  // 6 MP: whole-image double buffers would be 48 MB each
        float[] x = new float[w * h], y = new float[w * h];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) y[i] = x[i] = (float) random.nextDouble();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        double ssim = Ssim.channel(x, y, w, h, 1.0, Ssim.Window.GAUSSIAN);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(1.0, ssim, 1e-12);
        assertTrue(allocated < 4_000_000, "allocated " + allocated + " bytes for a " + w + "x" + h + " channel");
    }

    /** Mean over the windows inside the image of SSIM from the window's weighted sums, straight from the definition. */
    private static double definition(float[] x, float[] y, int w, int h, Ssim.Window window) {
        double[] k = Ssim.kernel(window);
        int taps = k.length;
        double n = taps * taps, covNorm = window == Ssim.Window.UNIFORM7 ? n / (n - 1) : 1, c1 = 1e-4, c2 = 9e-4, total = 0;
        int count = 0;
        for (int oy = 0; oy + taps <= h; oy++) {
            for (int ox = 0; ox + taps <= w; ox++) {
                double ux = 0, uy = 0, uxx = 0, uyy = 0, uxy = 0;
                for (int j = 0; j < taps; j++) {
                    for (int i = 0; i < taps; i++) {
                        double kk = k[j] * k[i], a = x[(oy + j) * w + ox + i], b = y[(oy + j) * w + ox + i];
                        ux += kk * a;
                        uy += kk * b;
                        uxx += kk * a * a;
                        uyy += kk * b * b;
                        uxy += kk * a * b;
                    }
                }
                double vx = covNorm * (uxx - ux * ux), vy = covNorm * (uyy - uy * uy), vxy = covNorm * (uxy - ux * uy);
                total += (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
                count++;
            }
        }
        return total / count;
    }
}
