package dev.lucid.nn;

import ai.djl.ndarray.NDArray;

/** A network from images to images of the same size, built from an architecture description. */
public interface ImageNetwork extends NetworkShape {

    /** x: [N, C, H, W], H and W multiples of {@link #sizeMultiple()}; returns [N, C, H, W]. */
    NDArray forward(NDArray x);

    /** The forward pass during training; networks with training-only behaviour (feature augmentation) override it. */
    default NDArray forwardTraining(NDArray x, java.util.SplittableRandom rng) { return forward(x); }

    /** False for frozen parameters (e.g. a pretrained encoder), which the optimiser leaves alone. */
    default boolean isTrainable(String parameterName) { return true; }
}
