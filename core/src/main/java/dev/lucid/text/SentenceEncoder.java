package dev.lucid.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The offline default text encoder: sentence-transformers all-MiniLM-L6-v2 (int8 ONNX, 384-d, L2-normalised,
 * mean pooling), shipped inside langchain4j's Maven jar and run by ONNX Runtime in process; cached per caption.
 */
public final class SentenceEncoder implements TextEncoder {

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;
    private final CaptionCache cache = new CaptionCache();

    @Override
    public String name() { return "all-MiniLM-L6-v2-q"; }

    @Override
    public int dimension() { return 384; }

    /** Tokens the encoder reads, [CLS] and [SEP] included: its tokenizer cuts there (all-MiniLM-L6-v2's training length). */
    static final int LIMIT = 128;
    /** The encoder's own tokenizer without its cut, to count what a prompt would need. */
    private final HuggingFaceTokenizer counter;

    public SentenceEncoder() {
        OnnxRuntimeLibraries.install();
        model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        try (InputStream json = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json")) {
            counter = HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("the sentence encoder's tokenizer is missing from its jar", e);
        }
    }

    @Override
    public float[] embed(String caption) {
        return cache.get(caption, c -> model.embed(c).content().vector());
    }

    @Override
    public String overLimit(String caption) {
        int tokens = counter.encode(caption).getIds().length;
        return tokens <= LIMIT ? null : "the prompt has " + tokens + " tokens and the sentence encoder reads " + LIMIT + ": the rest is cut";
    }

    @Override
    public void close() {
        cache.clear();
        counter.close();
    }
}
