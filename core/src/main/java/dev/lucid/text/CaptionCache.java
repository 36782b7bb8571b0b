package dev.lucid.text;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Embeddings per caption for the text encoders, bounded in size: a batch job repeats few captions many
 * times. A null caption is the empty one. Callers get a copy, so nothing they do changes the cache.
 */
final class CaptionCache {

    private static final int LIMIT = 4096;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    float[] get(String caption, Function<String, float[]> encode) {
        String key = caption == null ? "" : caption;
        float[] v = cache.get(key);
        if (v == null) {
            v = encode.apply(key);
            if (cache.size() < LIMIT) cache.put(key, v);
        }
        return v.clone();
    }

    void clear() { cache.clear(); }
}
