package dev.lucid.nn;

import ai.djl.ndarray.NDArray;

/** Small tensor helpers shared by the network and training code. */
public final class Tensors {

    private Tensors() {}

    /**
     * Overwrites {@code dst} with {@code src} in place (same shape). Done with arithmetic rather than
     * {@code NDArray.set}/{@code copyTo}, which make libtorch print a deprecation warning
     * (AutoNonVariableTypeMode) on the user's terminal. {@code dst} must hold finite values.
     */
    public static void assign(NDArray dst, NDArray src) {
        dst.muli(0).addi(src);
    }
}
