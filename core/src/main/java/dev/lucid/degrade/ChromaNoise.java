package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Coarse colour blotches, the chroma noise high-ISO phone photos keep after their own processing: Gaussian noise of
 * σ (8-bit units, fixed or uniform in a range) on the Cb and Cr planes (BT.601), drawn on a grid 2, 4 or 8 times
 * coarser than the image (random per image) and bilinearly up-sampled, so luminance is untouched and the colour
 * error is spatially correlated ({@code chroma:6}, {@code chroma:2-12}). Gray images are left as they are.
 */
public final class ChromaNoise implements Degradation {

    private static final int[] SCALES = {2, 4, 8};

    private final LevelRange sigma;

    public ChromaNoise(double sigmaMin, double sigmaMax) { this.sigma = new LevelRange("chroma noise sigma", sigmaMin, sigmaMax); }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        if (channels != 3) return;
        double level = sigma.draw(rng) / 255.0;
        int scale = SCALES[rng.nextInt(SCALES.length)];
        float[] cb = coarse(height, width, scale, level, rng), cr = coarse(height, width, scale, level, rng);
        int n = height * width;
        for (int i = 0; i < n; i++) {
            chw[i] += 1.402f * cr[i];
            chw[n + i] += -0.344136f * cb[i] - 0.714136f * cr[i];
            chw[2 * n + i] += 1.772f * cb[i];
        }
    }

    /** White noise on a grid of cells {@code scale} pixels wide, bilinearly interpolated between cell centres. */
    private static float[] coarse(int height, int width, int scale, double sigma, SplittableRandom rng) {
        int gh = height / scale + 2, gw = width / scale + 2;
        float[] grid = new float[gh * gw];
        for (int i = 0; i < grid.length; i++) grid[i] = (float) (sigma * Degradation.gaussian(rng));
        float[] out = new float[height * width];
        for (int y = 0; y < height; y++) {
            double gy = (y + 0.5) / scale;
            int y0 = (int) gy;
            double fy = gy - y0;
            for (int x = 0; x < width; x++) {
                double gx = (x + 0.5) / scale;
                int x0 = (int) gx;
                double fx = gx - x0;
                out[y * width + x] = (float) ((1 - fy) * ((1 - fx) * grid[y0 * gw + x0] + fx * grid[y0 * gw + x0 + 1])
                        + fy * ((1 - fx) * grid[(y0 + 1) * gw + x0] + fx * grid[(y0 + 1) * gw + x0 + 1]));
            }
        }
        return out;
    }

    @Override
    public String describe() { return "chroma:" + sigma.text(); }
}
