package dev.lucid.degrade;

import dev.lucid.image.Tiler;
import java.util.SplittableRandom;

/**
 * The unsharp mask a camera applies after demosaicing, which also sharpens the noise into coarse grain:
 * x + a·(x − blur(x)) with a 3×3 binomial blur ([1 2 1]/4 each way, mirrored borders) and the amount a fixed or
 * uniform in a range per image ({@code sharpen:0.5}, {@code sharpen:0-1.5}).
 */
public final class Sharpening implements Degradation {

    private final LevelRange amount;

    public Sharpening(double amountMin, double amountMax) { this.amount = new LevelRange("sharpening amount", amountMin, amountMax); }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        double a = amount.draw(rng);
        int n = height * width;
        float[] rows = new float[n];
        for (int c = 0; c < channels; c++) {
            int o = c * n;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    rows[y * width + x] = (chw[o + y * width + Tiler.reflect(x - 1, width)] + 2 * chw[o + y * width + x]
                            + chw[o + y * width + Tiler.reflect(x + 1, width)]) / 4f;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float blur = (rows[Tiler.reflect(y - 1, height) * width + x] + 2 * rows[y * width + x] + rows[Tiler.reflect(y + 1, height) * width + x]) / 4f;
                    int i = o + y * width + x;
                    chw[i] += (float) (a * (chw[i] - blur));
                }
            }
        }
    }

    @Override
    public String describe() { return "sharpen:" + amount.text(); }
}
