package dev.lucid.server;

import dev.lucid.Lucid;
import dev.lucid.image.ImageFiles;
import dev.lucid.method.Guidance;
import java.util.function.Function;

/**
 * The options of one restoration request, from its form fields: model (default the default model), task, prompt,
 * strength, noise_level, steps, seed, and the output format (default: the input's family). Bad values fail with one
 * line (HTTP 400).
 */
record RestoreRequest(String model, Guidance guidance, ImageFiles.Format format) {

    static final int MAX_STEPS = 1000;

    /** @param field the value of a form field, or null */
    static RestoreRequest parse(Function<String, String> field) {
        String model = blankToNull(field.apply("model"));
        Guidance g = Guidance.none()
                .withTask(blankToNull(field.apply("task")))
                .withText(blankToNull(field.apply("prompt")))
                .withStrength(number(field, "strength"))
                .withSigma(number(field, "noise_level"));
        Double steps = number(field, "steps"), seed = number(field, "seed");
        if (steps != null) {
            if (steps != Math.rint(steps) || steps < 1 || steps > MAX_STEPS) throw new IllegalArgumentException("steps must be a whole number in 1.." + MAX_STEPS + ", got " + field.apply("steps"));
            g = g.withSteps(steps.intValue());
        }
        if (seed != null) g = g.withSeed(seed.longValue());
        if (Guidance.strengthProblem(g.strength()) != null) throw new IllegalArgumentException("strength " + Guidance.strengthProblem(g.strength()));
        if (Guidance.noiseLevelProblem(g.sigma()) != null) throw new IllegalArgumentException("noise_level " + Guidance.noiseLevelProblem(g.sigma()));
        String format = blankToNull(field.apply("format"));
        return new RestoreRequest(model == null ? Lucid.DEFAULT_MODEL : model, g, format == null ? null : ImageFiles.Format.named(format));
    }

    private static Double number(Function<String, String> field, String name) {
        String v = blankToNull(field.apply(name));
        if (v == null) return null;
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got \"" + v + "\"", e);
        }
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.strip(); }
}
