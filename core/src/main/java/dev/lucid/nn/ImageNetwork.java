package dev.lucid.nn;

import ai.djl.ndarray.NDArray;

/** A network from images to images of the same size, built from an architecture description. */
public interface ImageNetwork {

    /** x: [N, C, H, W], H and W multiples of {@link #sizeMultiple()}; returns [N, C, H, W]. */
    NDArray forward(NDArray x);

    int sizeMultiple();

    /** Convolution multiply-accumulates per input pixel (FLOPs ≈ 2×). */
    long macsPerPixel();

    int channels();
}
