package dev.lucid.degrade;

import java.util.SplittableRandom;

/**
 * Recipe {@code none}: the clean image itself, task {@link Degradation#NO_TASK}. Mixed into the training data of a
 * multi-task model, it teaches the model's degradation reader to say "nothing to restore" and the restorer to leave
 * such an image as it is.
 */
public final class NoDegradation implements Degradation {

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {}

    @Override
    public String task() { return NO_TASK; }

    @Override
    public String describe() { return "none"; }
}
