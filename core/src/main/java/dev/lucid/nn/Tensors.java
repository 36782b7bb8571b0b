package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

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

    /**
     * Computes {@code f} and frees every array it created except the result (an {@link NDScope}). DJL
     * otherwise keeps each intermediate until its manager closes: a forward pass's tensors (gigabytes for a
     * 512² tile), and, for results of operations whose first operand is a parameter, the parameters' manager,
     * which lives as long as the model (a training run grew ~3 MB a step until the OS killed it). Autograd
     * keeps its own references to what backward needs, so this is safe while training too.
     */
    public static NDArray freeingIntermediates(Supplier<NDArray> f) {
        try (NDScope scope = new NDScope()) {
            NDArray out = f.get();
            NDScope.unregister(out);
            return out;
        }
    }

    /**
     * Whether operations are being recorded for a backward pass (inside a gradient collector). DJL's
     * {@code hasGradient} is no guide for intermediate results: it reads false for the product of a
     * parameter that records gradients.
     */
    public static boolean recordsGradients() { return ai.djl.pytorch.jni.JniUtils.isGradMode(); }
}
