package dev.lucid.nn.clip;

import ai.djl.ndarray.NDArray;
import dev.lucid.nn.LayerNorm;
import dev.lucid.nn.Linear;
import dev.lucid.nn.MultiheadAttention;
import dev.lucid.nn.Parameters;

/** CLIP's pre-LayerNorm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)) with QuickGELU. */
final class ResidualAttentionBlock {

    private final LayerNorm ln1, ln2;
    private final MultiheadAttention attn;
    private final Linear fc, proj;

    ResidualAttentionBlock(Parameters p, String name, int width, int heads) {
        attn = new MultiheadAttention(p, name + ".attn", width, heads);
        ln1 = new LayerNorm(p, name + ".ln_1", width);
        fc = new Linear(p, name + ".mlp.c_fc", width, 4 * width, true);
        proj = new Linear(p, name + ".mlp.c_proj", 4 * width, width, true);
        ln2 = new LayerNorm(p, name + ".ln_2", width);
    }

    /** x: [L, N, width]; mask: additive [L, L] or null. */
    NDArray forward(NDArray x, NDArray mask) {
        NDArray h = ln1.forward(x);
        x = x.add(attn.forward(h, h, h, mask));
        NDArray m = fc.forward(ln2.forward(x));
        m = m.mul(ai.djl.nn.Activation.sigmoid(m.mul(1.702f))); // QuickGELU
        return x.add(proj.forward(m));
    }
}
