package dev.lucid.method.adapt;

import ai.djl.ndarray.NDManager;
import dev.lucid.image.TileModel;
import dev.lucid.method.Guidance;
import dev.lucid.method.Method;
import dev.lucid.method.StepContext;
import dev.lucid.method.TrainingBatch;
import dev.lucid.nn.Lora;
import dev.lucid.nn.NetworkShape;
import java.util.List;
import java.util.Set;

/**
 * Teaches a trained model one camera from clean/noisy training pairs of that camera, as Tell-Me's per-camera adapters
 * are trained: the base method's own training step and loss, with only its {@link Lora} adapters in the optimiser
 * (the base stays frozen and gets no optimiser state). A config with {@code adapt: {base: MODEL, rank: 4}} and
 * {@code data.clean} (for raw models, {@code data.raw.camera: CAMERA.yaml}) runs it; one with {@code data.noisy}
 * runs a {@link SelfSupervisedAdaptation} instead.
 */
public final class SupervisedAdaptation implements Method {

    private final Method base;

    public SupervisedAdaptation(Method base) { this.base = base; }

    @Override
    public List<OptimiserGroup> optimisers() { return OptimiserGroup.single(Lora::isAdapterTensor); }

    /** The base method's step: it optimises the main group, which here holds the adapters alone. */
    @Override
    public double trainStep(TrainingBatch batch, StepContext context) { return base.trainStep(batch, context); }

    @Override
    public Set<Guidance.Kind> accepts() { return base.accepts(); }

    @Override
    public TileModel tileModel(NDManager manager, Guidance guidance) { return base.tileModel(manager, guidance); }

    @Override
    public java.util.Optional<String> promptWarning(String prompt) { return base.promptWarning(prompt); }

    @Override
    public NetworkShape shape() { return base.shape(); }
}
