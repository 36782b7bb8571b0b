package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Cross-attention from image positions (queries) to a context sequence (keys/values), pre-norm and residual:
 * how the diffusion UNets read a caption (or other token) context at their bottom level.
 */
public final class CrossAttention {

    private final LayerNorm2d norm;
    private final Linear q, k, v, out;
    private final int heads;

    public CrossAttention(Parameters p, String name, int channels, int contextDim, int heads) {
        if (channels % heads != 0) throw new IllegalArgumentException("channels " + channels + " not divisible by heads " + heads);
        this.heads = heads;
        norm = new LayerNorm2d(p, name + ".norm", channels);
        q = new Linear(p, name + ".q", channels, channels, false);
        k = new Linear(p, name + ".k", contextDim, channels, false);
        v = new Linear(p, name + ".v", contextDim, channels, false);
        out = new Linear(p, name + ".out", channels, channels, true);
    }

    public NDArray forward(NDArray x, NDArray context) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), hw = s.get(2) * s.get(3), l = context.getShape().get(1), d = c / heads;
        NDArray tokens = norm.forward(x).reshape(n, c, hw).transpose(0, 2, 1);             // [N, HW, C]
        NDArray qh = q.forward(tokens).reshape(n, hw, heads, d).transpose(0, 2, 1, 3);       // [N, h, HW, d]
        NDArray kh = k.forward(context).reshape(n, l, heads, d).transpose(0, 2, 1, 3);
        NDArray vh = v.forward(context).reshape(n, l, heads, d).transpose(0, 2, 1, 3);
        NDArray attn = qh.matMul(kh.transpose(0, 1, 3, 2)).div((float) Math.sqrt(d)).softmax(-1);
        NDArray mixed = attn.matMul(vh).transpose(0, 2, 1, 3).reshape(n, hw, c);
        return x.add(out.forward(mixed).transpose(0, 2, 1).reshape(s));
    }
}
