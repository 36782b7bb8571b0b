package dev.lucid.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.image.TileModel;
import dev.lucid.nn.NetworkShape;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A restoration method as the trainer and the restorer see it: its networks (all parameters live in the one
 * {@link dev.lucid.nn.Parameters} it was built on), its training step and its restore step. The trainer owns
 * the loop, checkpoints, EMA, logging and validation; the method owns what one step computes and which
 * optimiser updates what. Built by a {@link MethodProvider}; one package per method under {@code method/}.
 */
public interface Method {

    /** An optimiser and the parameters it updates; parameters of no group are frozen. */
    record OptimiserGroup(String name, Predicate<String> parameters, double learningRateScale) {
        public static final String MAIN = "main";

        /** One optimiser over the parameters {@code trainable} accepts, at the configured learning rate. */
        public static List<OptimiserGroup> single(Predicate<String> trainable) {
            return List.of(new OptimiserGroup(MAIN, trainable, 1.0));
        }
    }

    /**
     * The weights a {@link dev.lucid.nn.Lora} adapter may change (default: every one). A method keeps out of it a part
     * that the narrow data of an adapter would unteach, such as a reader of the degradation trained on every task.
     */
    default Predicate<String> adaptable() { return name -> true; }

    /** The optimisers of this method, each over its own parameters (disjoint). Default: one over every parameter. */
    default List<OptimiserGroup> optimisers() { return OptimiserGroup.single(name -> true); }

    /**
     * One training step: computes the losses on the batch and updates the parameters through
     * {@link StepContext#optimise} (once per optimiser group it trains).
     * @return the loss value written to the training log
     */
    double trainStep(TrainingBatch batch, StepContext context);

    /**
     * For diffusion methods that restore from the measurement diffused to an intermediate step: a training step on
     * that path alone (every sample at the sampling start, x_t made from the noisy image rather than the clean one),
     * where {@link #trainStep} covers the whole chain. A camera's adapter trained so serves the default restore.
     * Empty for methods without such a start.
     */
    default java.util.Optional<Double> samplingStartStep(TrainingBatch batch, StepContext context) { return java.util.Optional.empty(); }

    /** The kinds of guidance {@link #tileModel} uses; the restorer refuses the rest. */
    default Set<Guidance.Kind> accepts() { return Set.of(); }

    /**
     * The function the tiler runs over one image's tiles under {@code guidance} (anything that depends on the
     * image, not the tile, such as a caption embedding, is computed here once). Each call of the returned model
     * must keep its arrays in its own sub-manager of {@code manager}, so that several images may be restored
     * at once.
     */
    TileModel tileModel(NDManager manager, Guidance guidance);

    /**
     * For methods that estimate the noise: a tile model whose output is the per-pixel, per-channel noise level σ
     * (intensity units, [0, 1] scale) of its input tiles; null otherwise.
     */
    default TileModel noiseMapModel(NDManager manager) { return null; }

    /**
     * For methods that restore several degradations: the task they read from the whole image (a probability per
     * task); empty for the others.
     */
    default java.util.Optional<TaskReading> readTask(NDManager manager, dev.lucid.image.Image image) { return java.util.Optional.empty(); }

    /**
     * The guidance for one whole image, before its tiles are restored: an automatic task (none given, or auto)
     * becomes the task read from the image if the model applies it on its own ({@link TaskReading#applied}), so every
     * tile restores the same degradation.
     */
    default Guidance settle(NDManager manager, dev.lucid.image.Image image, Guidance guidance) {
        if (!guidance.taskIsAutomatic()) return guidance;
        return readTask(manager, image).map(reading -> guidance.withTask(reading.applied())).orElse(guidance);
    }

    /** For text-guided methods: why a prompt does not fit its text encoder whole (it is then cut); empty when it fits. */
    default java.util.Optional<String> promptWarning(String prompt) { return java.util.Optional.empty(); }

    /**
     * For single-pass denoisers: the restored batch [N, C, H, W] of a noisy batch at the model's default settings,
     * differentiable (an adaptation trains through it); null for methods that sample or need guidance.
     */
    default UnaryOperator<NDArray> denoiser() { return null; }

    /** The planes its images have, the tile size multiple, and the cost of one network evaluation. */
    NetworkShape shape();

    /**
     * A tile model running {@code restore} over a batch of tiles [N, C, H, W], each call in its own sub-manager:
     * the usual {@link #tileModel} of a method.
     */
    static TileModel tiles(NDManager manager, NetworkShape shape, UnaryOperator<NDArray> restore) {
        return new TileModel() {
            @Override
            public float[] apply(float[] batch, int n, int c, int h, int w) {
                try (NDManager scope = manager.newSubManager()) {
                    return restore.apply(scope.create(batch, new Shape(n, c, h, w))).toFloatArray();
                }
            }

            @Override public int channels() { return shape.channels(); }

            @Override public int sizeMultiple() { return shape.sizeMultiple(); }

            @Override public int maxTile() { return shape.maxTile(); }
        };
    }
}
