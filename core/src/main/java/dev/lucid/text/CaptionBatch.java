package dev.lucid.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The caption embeddings of one batch, [N, D], and which samples have no caption (a blank one, caption dropout, or no
 * prompt given). The rows of those are zero until the model puts its learned null embedding there
 * ({@link #withNull}): a text-guided model tells "no caption" from any caption by that vector, not by zeros.
 */
public record CaptionBatch(NDArray vectors, boolean[] missing) {

    /** The embeddings of a training batch's captions (null or blank: missing). */
    public static CaptionBatch embed(TextEncoder text, NDManager manager, List<String> captions) {
        int d = text.dimension();
        float[] rows = new float[captions.size() * d];
        boolean[] missing = new boolean[captions.size()];
        for (int i = 0; i < captions.size(); i++) {
            String c = captions.get(i);
            missing[i] = c == null || c.isBlank();
            if (!missing[i]) System.arraycopy(text.embed(c), 0, rows, i * d, d);
        }
        return new CaptionBatch(manager.create(rows, new Shape(captions.size(), d)), missing);
    }

    /** One image's caption embedding (null: no caption) for each of the n tiles of a batch; embed once per image. */
    public static CaptionBatch repeat(NDManager manager, float[] caption, int dimension, int n) {
        float[] rows = new float[n * dimension];
        if (caption != null) for (int i = 0; i < n; i++) System.arraycopy(caption, 0, rows, i * dimension, dimension);
        boolean[] missing = new boolean[n];
        java.util.Arrays.fill(missing, caption == null);
        return new CaptionBatch(manager.create(rows, new Shape(n, dimension)), missing);
    }

    /** The same batch with {@code offset} [N, D] added to its vectors (missing rows stay missing: the null replaces them). */
    public CaptionBatch shifted(NDArray offset) {
        return new CaptionBatch(vectors.add(offset), missing);
    }

    /** The vectors with the rows of samples without a caption replaced by {@code nullVector} [1, D]. */
    public NDArray withNull(NDArray nullVector) {
        boolean anyMissing = false;
        for (boolean m : missing) anyMissing |= m;
        if (!anyMissing) return vectors;                     // a prompted image's tiles: nothing to replace
        float[] keep = new float[missing.length];
        for (int i = 0; i < keep.length; i++) keep[i] = missing[i] ? 0f : 1f;
        NDArray k = vectors.getManager().create(keep, new Shape(keep.length, 1));
        return vectors.mul(k).add(nullVector.mul(k.neg().add(1f)));
    }
}
