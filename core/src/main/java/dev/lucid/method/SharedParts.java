package dev.lucid.method;

import dev.lucid.nn.clip.DaClipEmbedding;
import dev.lucid.text.TextEncoder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a method that do not depend on its weights (a text encoder: an ONNX session or a CLIP tower and its
 * tokenizer; a DA-CLIP image controller), made once on first use and shared by every method built with them from one
 * card: a model's task experts are its method on other weights, as the trainer's averaged copy is. Its owner closes it
 * after those methods.
 */
public final class SharedParts implements AutoCloseable {

    private final Map<String, TextEncoder> textEncoders = new LinkedHashMap<>();
    private final Map<String, DaClipEmbedding> degradationEmbeddings = new LinkedHashMap<>();

    /** The text encoder {@code spec} names ({@link TextEncoder#of}), the same one for every method that asks. */
    public synchronized TextEncoder textEncoder(String spec) {
        return textEncoders.computeIfAbsent(spec, TextEncoder::of);
    }

    /** The DA-CLIP degradation embedding {@code spec} names ({@link DaClipEmbedding#of}), the same one for every method that asks. */
    public synchronized DaClipEmbedding degradationEmbedding(String spec) {
        return degradationEmbeddings.computeIfAbsent(spec, DaClipEmbedding::of);
    }

    @Override
    public synchronized void close() {
        textEncoders.values().forEach(TextEncoder::close);
        textEncoders.clear();
        degradationEmbeddings.values().forEach(DaClipEmbedding::close);
        degradationEmbeddings.clear();
    }
}
