package dev.lucid.method;

/**
 * Optional guidance for a restorer: a caption of the scene and the task (denoise, derain, dehaze).
 * Restorers that take no guidance ignore it.
 */
public record Guidance(String text, String task) {

    public static Guidance none() { return new Guidance(null, "denoise"); }

    public static Guidance text(String caption) { return new Guidance(caption, "denoise"); }

    public Guidance withTask(String newTask) { return new Guidance(text, newTask); }

    public boolean hasText() { return text != null && !text.isBlank(); }
}
