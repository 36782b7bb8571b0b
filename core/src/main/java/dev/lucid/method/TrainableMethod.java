package dev.lucid.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.image.TileModel;
import java.util.SplittableRandom;

/**
 * A restoration method as the trainer and the restorer see it: a network plus what it is trained to predict
 * and how it restores at inference. One implementation per method; {@link Methods#build} picks it from the
 * "method" field of a training config or model card.
 */
public interface TrainableMethod {

    /** What the network predicted for a training batch, and the target the loss compares it with. */
    record Prediction(NDArray predicted, NDArray target) {}

    /** Builds the training prediction for a batch [N, C, H, W] (gradients are recorded by the caller). */
    Prediction trainingPair(NDArray noisy, NDArray clean, SplittableRandom rng);

    /** Restores a batch of noisy tiles [N, C, H, W]. */
    NDArray restore(NDArray noisy);

    /** Tile sides must be a multiple of this. */
    int sizeMultiple();

    /** Convolution multiply-accumulates per pixel for one network evaluation. */
    long macsPerPixel();

    /** False for frozen parameters, which training leaves unchanged. */
    default boolean isTrainable(String parameterName) { return true; }

    /** This method as a {@link TileModel}; every batch lives in its own sub-manager of {@code manager}. */
    default TileModel tileModel(NDManager manager) {
        return new TileModel() {
            @Override
            public float[] apply(float[] batch, int n, int c, int h, int w) {
                try (NDManager scope = manager.newSubManager()) {
                    return restore(scope.create(batch, new Shape(n, c, h, w))).toFloatArray();
                }
            }

            @Override
            public int sizeMultiple() { return TrainableMethod.this.sizeMultiple(); }
        };
    }
}
