package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Masked-image modelling input (as in context encoders and MAE, for pre-training an encoder without noise
 * and without labels): the image is cut into block×block squares on a randomly shifted grid, and each square
 * becomes mid-gray (0.5, all channels) with probability {@code fraction}. Recipe {@code mask:FRACTION,BLOCK}.
 */
public final class BlockMask implements Degradation {

    private final double fraction;
    private final int block;

    public BlockMask(double fraction, int block) {
        if (fraction < 0 || fraction > 1) throw new IllegalArgumentException("mask fraction must be in [0, 1]");
        if (block < 1) throw new IllegalArgumentException("mask block must be at least 1 pixel");
        this.fraction = fraction;
        this.block = block;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        int ox = rng.nextInt(block), oy = rng.nextInt(block), n = height * width;
        for (int by = -oy; by < height; by += block) {
            for (int bx = -ox; bx < width; bx += block) {
                if (rng.nextDouble() >= fraction) continue;
                for (int y = Math.max(0, by); y < Math.min(height, by + block); y++) {
                    for (int x = Math.max(0, bx); x < Math.min(width, bx + block); x++) {
                        for (int c = 0; c < channels; c++) chw[c * n + y * width + x] = 0.5f;
                    }
                }
            }
        }
    }

    @Override
    public String describe() { return "mask:" + fraction + "," + block; }
}
