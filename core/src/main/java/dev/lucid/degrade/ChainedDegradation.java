package dev.lucid.degrade;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Degradations applied one after another, written {@code A+B+...} (e.g. {@code camera+sharpen:0.5+jpeg:80}: camera
 * noise, then the sharpening and compression a phone applies after it). Each step draws from the same generator in
 * order, so the chain is as reproducible as its parts.
 */
public final class ChainedDegradation implements Degradation {

    private final List<Degradation> steps;

    public ChainedDegradation(List<Degradation> steps) {
        if (steps.size() < 2) throw new IllegalArgumentException("a chain needs at least two degradations");
        this.steps = List.copyOf(steps);
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        for (Degradation d : steps) d.apply(chw, channels, height, width, rng);
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, Window window, SplittableRandom rng) {
        for (Degradation d : steps) d.apply(chw, channels, height, width, window, rng);
    }

    /** The first step's task that is not denoising (rain under noise is a deraining job), else denoise. */
    @Override
    public String task() {
        return steps.stream().map(Degradation::task).filter(t -> !t.equals("denoise")).findFirst().orElse("denoise");
    }

    @Override
    public String describe() { return steps.stream().map(Degradation::describe).collect(Collectors.joining("+")); }
}
