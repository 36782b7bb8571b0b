package dev.lucid.method;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a user may tell a restorer besides the image: a caption of the scene, the task (denoise, derain,
 * dehaze), a known noise level σ (8-bit units, for non-blind use), a strength that scales the estimated noise,
 * and the number of sampling steps and the seed of a diffusion model. Every field is optional (null). A
 * restorer declares the kinds it can use ({@link Restorer#accepts()}); anything else given to it is an error,
 * never silently ignored. (A camera adapter is part of the model, named where the model is:
 * {@code tellme-raw:camera=NAME}.)
 */
public record Guidance(String text, String task, Double sigma, Double strength, Integer steps, Long seed) {

    /** The pieces of guidance a restorer may accept. */
    public enum Kind {
        TEXT("a text prompt", "it has no text conditioning"),
        TASK("a task other than denoise", "it only denoises"),
        NOISE_LEVEL("a noise level", "it is a blind denoiser"),
        STRENGTH("a strength", "it has no strength control"),
        STEPS("sampling steps", "it is not a sampling model"),
        SEED("a seed", "it is deterministic");

        private final String what;
        private final String why;

        Kind(String what, String why) {
            this.what = what;
            this.why = why;
        }
    }

    public static final String DENOISE = "denoise";
    /** The task that lets a multi-task model read the degradation from the image (a single-task model just runs). */
    public static final String AUTO = "auto";

    private static final Guidance NONE = new Guidance(null, null, null, null, null, null);

    public static Guidance none() { return NONE; }

    public static Guidance text(String caption) { return NONE.withText(caption); }

    public Guidance withText(String caption) { return new Guidance(caption, task, sigma, strength, steps, seed); }

    public Guidance withTask(String newTask) { return new Guidance(text, newTask, sigma, strength, steps, seed); }

    public Guidance withSigma(Double newSigma) { return new Guidance(text, task, newSigma, strength, steps, seed); }

    public Guidance withStrength(Double newStrength) { return new Guidance(text, task, sigma, newStrength, steps, seed); }

    public Guidance withSteps(Integer newSteps) { return new Guidance(text, task, sigma, strength, newSteps, seed); }

    public Guidance withSeed(Long newSeed) { return new Guidance(text, task, sigma, strength, steps, newSeed); }

    /** What is wrong with a strength (it scales an estimated noise map: 0 < S <= 10), or null when nothing is. */
    public static String strengthProblem(Double strength) {
        return strength == null || strength > 0 && strength <= 10 ? null : "must be in (0, 10], got " + strength;
    }

    /** What is wrong with a known noise level (8-bit units: 0 < σ <= 255), or null when nothing is. */
    public static String noiseLevelProblem(Double sigma) {
        return sigma == null || sigma > 0 && sigma <= 255 ? null : "must be in (0, 255] (8-bit units), got " + sigma;
    }

    public boolean hasText() { return text != null && !text.isBlank(); }

    /** The task to run: the given one, or denoise. */
    public String taskOrDenoise() { return task == null ? DENOISE : task.toLowerCase(Locale.ROOT); }

    /** Whether the model is to read the task from the image: no task given, or auto. */
    public boolean taskIsAutomatic() { return task == null || task.equalsIgnoreCase(AUTO); }

    /** The kinds of guidance this value carries (a blank caption and the tasks denoise and auto count as none). */
    public Set<Kind> given() {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        if (hasText()) kinds.add(Kind.TEXT);
        if (!taskIsAutomatic() && !taskOrDenoise().equals(DENOISE)) kinds.add(Kind.TASK);
        if (sigma != null) kinds.add(Kind.NOISE_LEVEL);
        if (strength != null) kinds.add(Kind.STRENGTH);
        if (steps != null) kinds.add(Kind.STEPS);
        if (seed != null) kinds.add(Kind.SEED);
        return kinds;
    }

    /** This guidance without the kinds {@code accepted} does not hold (e.g. a known σ kept from a blind model). */
    public Guidance keepOnly(Set<Kind> accepted) {
        return new Guidance(accepted.contains(Kind.TEXT) ? text : null, accepted.contains(Kind.TASK) ? task : null,
                accepted.contains(Kind.NOISE_LEVEL) ? sigma : null, accepted.contains(Kind.STRENGTH) ? strength : null,
                accepted.contains(Kind.STEPS) ? steps : null, accepted.contains(Kind.SEED) ? seed : null);
    }

    /**
     * Fails with one line when this guidance holds something {@code model} cannot use, e.g. "model lucid-real
     * cannot use a text prompt: it has no text conditioning".
     */
    public void requireAccepted(Set<Kind> accepted, String model) {
        StringJoiner problems = new StringJoiner("; ");
        for (Kind k : given()) {
            if (!accepted.contains(k)) problems.add(k.what + ": " + k.why);
        }
        if (problems.length() > 0) throw new UnsupportedGuidanceException("model " + model + " cannot use " + problems);
    }

    /** Guidance a restorer cannot use: a usage error (exit 2), not an internal one. */
    public static final class UnsupportedGuidanceException extends IllegalArgumentException {
        public UnsupportedGuidanceException(String message) { super(message); }
    }
}
