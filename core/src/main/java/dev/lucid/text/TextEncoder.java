package dev.lucid.text;

/**
 * Turns a caption into a vector that conditions text-guided restorers. Two implementations: the CLIP text
 * tower when the user gives CLIP weights ({@link ClipTextEncoder}), otherwise the pretrained offline
 * sentence encoder shipped in a Maven jar ({@link SentenceEncoder}). Models that take text replace an
 * empty caption with their own learned null embedding; encoders simply encode what they are given.
 */
public interface TextEncoder extends AutoCloseable {

    /** A name recorded in model cards and outputs, e.g. "all-MiniLM-L6-v2-q" or "clip:ViT-B/32". */
    String name();

    int dimension();

    /** The embedding of a caption; one longer than the encoder reads ({@link #overLimit}) is cut to fit first. */
    float[] embed(String caption);

    /** Why a caption does not fit whole, e.g. "the prompt has 93 tokens and CLIP's text encoder reads 75: the rest is cut"; null when it fits. */
    String overLimit(String caption);

    @Override
    void close();

    /**
     * The encoder a model's method settings name: {@code sentence} (the offline default) or {@code clip:PATH} (the CLIP
     * text tower from the user's weights file).
     */
    static TextEncoder of(String spec) {
        if (spec.equals("sentence")) return new SentenceEncoder();
        if (spec.startsWith("clip:")) {
            try {
                return new ClipTextEncoder(java.nio.file.Path.of(spec.substring("clip:".length())));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the CLIP text weights of text_encoder \"" + spec + "\"", e);
            }
        }
        throw new IllegalArgumentException("text_encoder must be sentence or clip:PATH, got \"" + spec + "\"");
    }
}
