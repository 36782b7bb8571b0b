package dev.lucid.nn.clip;

import ai.djl.ndarray.NDArray;
import dev.lucid.nn.Parameters;
import java.util.ArrayList;
import java.util.List;

/** A stack of {@link ResidualAttentionBlock}s named {@code PREFIX.resblocks.i}. */
final class Transformer {

    private final List<ResidualAttentionBlock> blocks = new ArrayList<>();

    Transformer(Parameters p, String prefix, int width, int layers, int heads) {
        for (int i = 0; i < layers; i++) blocks.add(new ResidualAttentionBlock(p, prefix + ".resblocks." + i, width, heads));
    }

    NDArray forward(NDArray x, NDArray mask) {
        for (ResidualAttentionBlock b : blocks) x = b.forward(x, mask);
        return x;
    }
}
