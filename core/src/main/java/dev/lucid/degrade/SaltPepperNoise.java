package dev.lucid.degrade;

import java.util.SplittableRandom;

/** Impulse noise: each sample independently becomes 0 or 1 (equally likely) with the given probability. */
public final class SaltPepperNoise implements Degradation {

    private final double amount;

    public SaltPepperNoise(double amount) {
        if (amount < 0 || amount > 1) throw new IllegalArgumentException("salt-and-pepper amount must be in [0, 1]");
        this.amount = amount;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        for (int i = 0; i < chw.length; i++) {
            if (rng.nextDouble() < amount) chw[i] = rng.nextBoolean() ? 1f : 0f;
        }
    }

    @Override
    public String describe() { return "salt-pepper:" + amount; }
}
