package dev.lucid.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
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

    /** Overwrites every element of {@code dst} with {@code value} in place, as {@link #assign(NDArray, NDArray)}. */
    public static void assign(NDArray dst, float value) {
        dst.muli(0).addi(value);
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

    /** How many {@link #gradientCollector}s are open on this thread. */
    private static final ThreadLocal<int[]> OPEN_COLLECTORS = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * A gradient collector during whose life {@link #recordsGradients} is true on this thread (every training pass
     * takes its gradients through one). Neither libtorch nor DJL can tell: libtorch's grad mode is on by default in
     * every thread but the one DJL started on, so a server's worker threads would look as if they trained, and DJL's
     * {@code hasGradient} reads false for any result of an operation, even on a parameter that records gradients.
     */
    public static GradientCollector gradientCollector() {
        GradientCollector collector = Engine.getInstance().newGradientCollector();
        int[] open = OPEN_COLLECTORS.get();
        open[0]++;
        return new GradientCollector() {
            @Override public void backward(NDArray target) { collector.backward(target); }

            @Override public void zeroGradients() { collector.zeroGradients(); }

            @Override
            public void close() {
                open[0]--;
                collector.close();
            }
        };
    }

    /** Whether this thread is inside a {@link #gradientCollector}: a backward pass will follow this forward pass. */
    public static boolean recordsGradients() { return OPEN_COLLECTORS.get()[0] > 0; }
}
