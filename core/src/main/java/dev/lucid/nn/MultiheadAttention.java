package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention as PyTorch's nn.MultiheadAttention computes it, on
 * sequence-first tensors [L, N, E]: packed in_proj_weight [3E, E] / in_proj_bias (q, k, v in that order),
 * or separate q/k/v projections (CLIP's attention pool), scores scaled by 1/√(E/heads), an optional additive
 * mask [L, S], then out_proj.
 */
public final class MultiheadAttention {

    private final int heads;
    private final NDArray inWeight, inBias;
    private final Linear q, k, v, out;

    /** Packed projections under {@code name.in_proj_weight}, {@code name.in_proj_bias}, {@code name.out_proj}. */
    public MultiheadAttention(Parameters p, String name, int embed, int heads) {
        this.heads = heads;
        double bound = Math.sqrt(6.0 / (embed + 3 * embed));
        this.inWeight = p.uniform(name + ".in_proj_weight", new Shape(3L * embed, embed), bound);
        this.inBias = p.constant(name + ".in_proj_bias", new Shape(3L * embed), 0f);
        this.q = null;
        this.k = null;
        this.v = null;
        this.out = new Linear(p, name + ".out_proj", embed, embed, true);
    }

    /** Separate projections with the given names (CLIP AttentionPool2d: q_proj, k_proj, v_proj, c_proj). */
    public MultiheadAttention(Parameters p, String prefix, String qName, String kName, String vName, String outName, int embed, int outDim, int heads) {
        this.heads = heads;
        this.inWeight = null;
        this.inBias = null;
        this.q = new Linear(p, prefix + qName, embed, embed, true);
        this.k = new Linear(p, prefix + kName, embed, embed, true);
        this.v = new Linear(p, prefix + vName, embed, embed, true);
        this.out = new Linear(p, prefix + outName, embed, outDim, true);
    }

    /** query [L, N, E], key and value [S, N, E], mask [L, S] or null → [L, N, out]. */
    public NDArray forward(NDArray query, NDArray key, NDArray value, NDArray mask) {
        long embed = query.getShape().get(2);
        NDArray qp, kp, vp;
        if (inWeight != null) {
            NDArray[] w = inWeight.split(3, 0).toArray(new NDArray[0]);
            NDArray[] b = inBias.split(3, 0).toArray(new NDArray[0]);
            qp = query.matMul(w[0].transpose()).add(b[0]);
            kp = key.matMul(w[1].transpose()).add(b[1]);
            vp = value.matMul(w[2].transpose()).add(b[2]);
        } else {
            qp = q.forward(query);
            kp = k.forward(key);
            vp = v.forward(value);
        }
        long l = query.getShape().get(0), s = key.getShape().get(0), n = query.getShape().get(1), d = embed / heads;
        // [L, N, E] → [N·heads, L, d]
        NDArray qh = qp.mul(1.0 / Math.sqrt(d)).reshape(l, n * heads, d).transpose(1, 0, 2);
        NDArray kh = kp.reshape(s, n * heads, d).transpose(1, 0, 2);
        NDArray vh = vp.reshape(s, n * heads, d).transpose(1, 0, 2);
        NDArray scores = qh.matMul(kh.transpose(0, 2, 1));
        if (mask != null) scores = scores.add(mask);
        NDArray attended = scores.softmax(-1).matMul(vh);                 // [N·heads, L, d]
        NDArray merged = attended.transpose(1, 0, 2).reshape(l, n, embed);
        return out.forward(merged);
    }
}
