package dev.lucid.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.nn.clip.ClipModel;
import java.io.IOException;
import java.nio.file.Path;

/** The CLIP text tower (user-supplied weights) as a {@link TextEncoder}: encode_text of the tokenized caption. */
public final class ClipTextEncoder implements TextEncoder {

    private final ClipModel clip;
    private final ClipTokenizer tokenizer = ClipTokenizer.standard();
    private final String name;
    private final CaptionCache cache = new CaptionCache();

    public ClipTextEncoder(Path weights) throws IOException {
        this.clip = ClipModel.load(weights);
        this.name = "clip:" + weights.getFileName();
    }

    @Override
    public String name() { return name; }

    @Override
    public int dimension() { return clip.config().embedDim(); }

    @Override
    public synchronized float[] embed(String caption) {
        return cache.get(caption, this::encode);
    }

    @Override
    public String overLimit(String caption) {
        int tokens = tokenizer.encode(caption).length, limit = ClipTokenizer.CONTEXT - 2;
        return tokens <= limit ? null : "the prompt has " + tokens + " tokens and CLIP's text encoder reads " + limit + ": the rest is cut";
    }

    private float[] encode(String caption) {
        try (NDManager scope = clip.manager().newSubManager()) {
            NDArray tokens = scope.create(tokenizer.tokenize(caption), new Shape(1, ClipTokenizer.CONTEXT));
            return clip.encodeText(tokens).toFloatArray();
        }
    }

    @Override
    public void close() { clip.close(); }
}
