package dev.lucid.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.nn.clip.ClipModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The CLIP text tower (user-supplied weights) as a {@link TextEncoder}: encode_text of the tokenized caption. */
public final class ClipTextEncoder implements TextEncoder {

    private static final int CACHE_LIMIT = 4096;
    private final ClipModel clip;
    private final ClipTokenizer tokenizer = ClipTokenizer.standard();
    private final String name;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    public ClipTextEncoder(Path weights) throws IOException {
        this.clip = ClipModel.load(weights);
        this.name = "clip:" + weights.getFileName();
    }

    public ClipModel model() { return clip; }

    @Override
    public String name() { return name; }

    @Override
    public int dimension() { return clip.config().embedDim(); }

    @Override
    public synchronized float[] embed(String caption) {
        String key = caption == null ? "" : caption;
        float[] hit = cache.get(key);
        if (hit != null) return hit.clone();
        try (NDManager scope = clip.manager().newSubManager()) {
            NDArray tokens = scope.create(tokenizer.tokenize(key), new Shape(1, ClipTokenizer.CONTEXT));
            float[] v = clip.encodeText(tokens).toFloatArray();
            if (cache.size() < CACHE_LIMIT) cache.put(key, v.clone());
            return v;
        }
    }

    @Override
    public void close() { clip.close(); }
}
