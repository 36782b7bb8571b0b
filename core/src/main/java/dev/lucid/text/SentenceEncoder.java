package dev.lucid.text;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The offline default text encoder: sentence-transformers all-MiniLM-L6-v2 (int8 ONNX, 384-d, L2-normalised,
 * mean pooling), shipped inside langchain4j's Maven jar and run by ONNX Runtime in process; cached per caption.
 */
public final class SentenceEncoder implements TextEncoder {

    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    private final CaptionCache cache = new CaptionCache();

    @Override
    public String name() { return "all-MiniLM-L6-v2-q"; }

    @Override
    public int dimension() { return 384; }

    @Override
    public float[] embed(String caption) {
        return cache.get(caption, c -> model.embed(c).content().vector());
    }

    @Override
    public void close() { cache.clear(); }
}
