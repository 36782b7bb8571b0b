package dev.lucid.diffusion;

import ai.djl.ndarray.NDArray;

/** A network (with its conditioning bound in) that predicts the clean image x₀ from the state x_t at step t. */
@FunctionalInterface
public interface X0Predictor {
    NDArray predict(NDArray xt, int t);
}
