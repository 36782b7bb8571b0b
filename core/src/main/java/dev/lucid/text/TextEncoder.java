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

    float[] embed(String caption);

    @Override
    void close();
}
