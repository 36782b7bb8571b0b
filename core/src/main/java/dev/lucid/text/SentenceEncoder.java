package dev.lucid.text;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The offline default text encoder: sentence-transformers all-MiniLM-L6-v2 (int8 ONNX, 384-d, L2-normalised,
 * mean pooling), shipped inside langchain4j's Maven jar and run by ONNX Runtime in process. Embeddings are
 * cached per caption, since a batch job repeats few captions many times.
 */
public final class SentenceEncoder implements TextEncoder {

    private static final int CACHE_LIMIT = 4096;
    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    @Override
    public String name() { return "all-MiniLM-L6-v2-q"; }

    @Override
    public int dimension() { return 384; }

    @Override
    public float[] embed(String caption) {
        String key = caption == null ? "" : caption;
        float[] hit = cache.get(key);
        if (hit != null) return hit.clone();
        float[] v = model.embed(key).content().vector();
        if (cache.size() < CACHE_LIMIT) cache.put(key, v.clone());
        return v;
    }

    @Override
    public void close() { cache.clear(); }
}
