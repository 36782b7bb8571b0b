package dev.lucid.degrade;

import java.util.SplittableRandom;

/** A non-negative level fixed or drawn uniformly per image from [min, max], as recipes write it: {@code 6} or {@code 2-12}. */
record LevelRange(String what, double min, double max) {

    LevelRange {
        if (min < 0 || max < min) throw new IllegalArgumentException(what + " must be >= 0 (a level or a range LO-HI), got " + min + "-" + max);
    }

    /** The level of one image; a fixed level draws nothing from the generator. */
    double draw(SplittableRandom rng) { return min == max ? min : min + rng.nextDouble() * (max - min); }

    /** As a recipe writes it. */
    String text() { return GaussianNoise.fmt(min) + (max != min ? "-" + GaussianNoise.fmt(max) : ""); }
}
