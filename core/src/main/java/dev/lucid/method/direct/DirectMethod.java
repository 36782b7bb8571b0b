package dev.lucid.method.direct;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.image.TileModel;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.MethodProvider;
import dev.lucid.method.SharedParts;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.Architectures;
import dev.lucid.nn.ImageNetwork;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.Parameters;
import java.util.List;

/**
 * The single-pass restorer (method "direct", the default): network(noisy) ≈ clean, trained with the configured
 * pixel loss. Also the wiring of any method that is one {@link ImageNetwork} (CLIPDenoising's frozen encoder and
 * feature augmentation live in its network).
 */
public final class DirectMethod implements Method {

    /** {@code method: {type: direct}} (or no "method"): a network of {@link Architectures}. */
    public static final class Provider implements MethodProvider {
        @Override public String type() { return "direct"; }

        @Override
        public Method build(Parameters parameters, JsonNode root, SharedParts shared) {
            return new DirectMethod(Architectures.build(parameters, root.get("architecture")));
        }
    }

    private final ImageNetwork network;

    public DirectMethod(ImageNetwork network) { this.network = network; }

    @Override
    public List<OptimiserGroup> optimisers() { return OptimiserGroup.single(network::isTrainable); }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) {
        return context.optimise(OptimiserGroup.MAIN,
                () -> context.loss().compute(network.forwardTraining(batch.noisy(), context.random()), batch.clean()));
    }

    @Override
    public TileModel tileModel(NDManager manager, Guidance guidance) {
        return Method.tiles(manager, network, network::forward);
    }

    @Override
    public java.util.function.UnaryOperator<ai.djl.ndarray.NDArray> denoiser() { return network::forward; }

    @Override
    public NetworkShape shape() { return network; }
}
