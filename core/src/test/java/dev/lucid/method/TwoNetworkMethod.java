package dev.lucid.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lucid.image.TileModel;
import dev.lucid.nn.Conv2d;
import dev.lucid.nn.NetworkShape;
import dev.lucid.nn.Parameters;
import java.util.List;

/**
 * A method registered only in tests (src/test/resources/META-INF/services), with the shape of a GAN: a generator
 * trained to restore and to please a critic, and a critic trained to tell clean patches from restored ones,
 * each with its own optimiser.
 */
public final class TwoNetworkMethod implements Method {

    public static final class Provider implements MethodProvider {
        @Override public String type() { return "test-two-networks"; }

        @Override
        public Method build(Parameters parameters, JsonNode root, SharedParts shared) {
            JsonNode architecture = root.get("architecture");
            return new TwoNetworkMethod(parameters, architecture.path("width").asInt(4), (float) architecture.path("critic_loss_scale").asDouble(1));
        }
    }

    private final Conv2d generatorIn, generatorOut, criticIn, criticOut;
    /** A factor on the critic's loss: a huge one makes its gradients spike, as a GAN's sometimes do. */
    private final float criticLossScale;

    TwoNetworkMethod(Parameters p, int width, float criticLossScale) {
        this.criticLossScale = criticLossScale;
        generatorIn = new Conv2d(p, "generator.in", 3, width, 3);
        generatorOut = new Conv2d(p, "generator.out", width, 3, 3);
        criticIn = new Conv2d(p, "critic.in", 3, width, 3);
        criticOut = new Conv2d(p, "critic.out", width, 1, 3);
    }

    private NDArray generate(NDArray noisy) { return noisy.add(generatorOut.forward(Activation.relu(generatorIn.forward(noisy)))); }

    private NDArray critic(NDArray image) { return criticOut.forward(Activation.relu(criticIn.forward(image))); }

    @Override
    public List<OptimiserGroup> optimisers() {
        return List.of(new OptimiserGroup("generator", name -> name.startsWith("generator."), 1.0),
                new OptimiserGroup("critic", name -> name.startsWith("critic."), 0.5));
    }

    @Override
    public double trainStep(TrainingBatch batch, StepContext context) {
        context.optimise("critic", () -> {
            NDArray fake = generate(batch.noisy()).stopGradient();
            return critic(batch.clean()).sub(1).square().mean().add(critic(fake).square().mean()).mul(criticLossScale);
        });
        return context.optimise("generator", () -> {
            NDArray restored = generate(batch.noisy());
            return context.loss().compute(restored, batch.clean()).add(critic(restored).sub(1).square().mean().mul(0.1f));
        });
    }

    @Override
    public TileModel tileModel(NDManager manager, Guidance guidance) { return Method.tiles(manager, shape(), this::generate); }

    @Override
    public NetworkShape shape() { return NetworkShape.of(3, 1, generatorIn.macsPerOutputPixel + generatorOut.macsPerOutputPixel); }
}
