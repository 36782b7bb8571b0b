package dev.lucid.method.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lucid.image.TileModel;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.nn.Lora;
import dev.lucid.nn.Parameters;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A trained single-pass denoiser learning a camera's noise from noisy photos alone ({@code lucid adapt}): only its
 * {@link Lora} adapters train, the base model restores as before. The loss is the subclass's:
 * {@link NoiseBankAdaptation} (the default) or {@link Neighbor2NeighborAdaptation}.
 */
public abstract class SelfSupervisedAdaptation implements Method {

    protected final Method base;
    /** The base model's, with adapters attached (turned off to read the base model's output). */
    protected final Parameters parameters;
    protected final UnaryOperator<NDArray> denoiser;

    protected SelfSupervisedAdaptation(Method base, Parameters parameters) {
        this.base = base;
        this.parameters = parameters;
        this.denoiser = base.denoiser();
        if (denoiser == null) throw new IllegalArgumentException("only single-pass denoisers can be adapted (not a diffusion or text-guided model)");
    }

    /**
     * The adaptation adapt.loss names: "noise-bank" (the default) or "neighbor2neighbor", reading the photos at the
     * pixel-shuffle stride their noise calls for.
     */
    public static SelfSupervisedAdaptation of(Method base, Parameters parameters, JsonNode adapt, int stride) {
        String loss = adapt.path("loss").asText(NoiseBankAdaptation.NAME);
        return switch (loss) {
            case NoiseBankAdaptation.NAME -> new NoiseBankAdaptation(base, parameters, adapt, stride);
            case Neighbor2NeighborAdaptation.NAME -> new Neighbor2NeighborAdaptation(base, parameters, adapt, stride);
            default -> throw new IllegalArgumentException("adapt.loss must be " + NoiseBankAdaptation.NAME + " or "
                    + Neighbor2NeighborAdaptation.NAME + ", got \"" + loss + "\"");
        };
    }

    /** Writes on the adapter's card the loss, its settings and the pixel-shuffle stride ({@code pd_stride}) the adapted model restores at. */
    public abstract void describe(ObjectNode card);

    @Override
    public final List<OptimiserGroup> optimisers() { return OptimiserGroup.single(Lora::isAdapterTensor); }

    @Override
    public final Set<Guidance.Kind> accepts() { return base.accepts(); }

    @Override
    public final TileModel tileModel(NDManager manager, Guidance guidance) { return base.tileModel(manager, guidance); }

    @Override
    public final UnaryOperator<NDArray> denoiser() { return denoiser; }

    /** The s² pixel-shuffled sub-images of a batch [N, C, H, W] as a batch [N·s², C, H/s, W/s] (see PixelShuffle). */
    static NDArray shuffle(NDArray x, int s) {
        if (s == 1) return x;
        Shape sh = x.getShape();
        long n = sh.get(0), c = sh.get(1), h = sh.get(2) / s, w = sh.get(3) / s;
        return x.reshape(n, c, h, s, w, s).transpose(0, 3, 5, 1, 2, 4).reshape(n * s * s, c, h, w);
    }
}
