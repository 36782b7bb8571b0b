package dev.lucid.degrade;

import dev.lucid.image.SeparableFilter;
import java.util.SplittableRandom;

/**
 * The unsharp mask a camera applies after demosaicing, which also sharpens the noise into coarse grain:
 * x + a·(x − blur(x)) with a 3×3 binomial blur ([1 2 1]/4 each way, mirrored borders) and the amount a fixed or
 * uniform in a range per image ({@code sharpen:0.5}, {@code sharpen:0-1.5}).
 */
public final class Sharpening implements Degradation {

    private static final double[] BINOMIAL = {0.25, 0.5, 0.25};

    private final LevelRange amount;

    public Sharpening(double amountMin, double amountMax) { this.amount = new LevelRange("sharpening amount", amountMin, amountMax); }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        double a = amount.draw(rng);
        int n = height * width;
        double[] plane = new double[n];
        for (int c = 0; c < channels; c++) {
            int o = c * n;
            for (int i = 0; i < n; i++) plane[i] = chw[o + i];
            double[] blur = SeparableFilter.apply(plane, width, height, BINOMIAL);
            for (int i = 0; i < n; i++) chw[o + i] += (float) (a * (plane[i] - blur[i]));
        }
    }

    @Override
    public String describe() { return "sharpen:" + amount.text(); }
}
