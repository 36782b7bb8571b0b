package dev.lucid.method;

/**
 * Optional guidance for a restorer: a caption of the scene, the task (denoise, derain, dehaze), and a known
 * noise level σ in 8-bit units (used by non-blind methods; blind ones ignore it). Restorers use what
 * applies to them and ignore the rest.
 */
public record Guidance(String text, String task, Double sigma) {

    public static Guidance none() { return new Guidance(null, "denoise", null); }

    public static Guidance text(String caption) { return new Guidance(caption, "denoise", null); }

    public Guidance withTask(String newTask) { return new Guidance(text, newTask, sigma); }

    public Guidance withSigma(Double newSigma) { return new Guidance(text, task, newSigma); }

    public boolean hasText() { return text != null && !text.isBlank(); }
}
