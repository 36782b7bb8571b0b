package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/** Pixel losses between a prediction and its target, averaged over all elements. */
public enum Loss {
    L1, MSE, CHARBONNIER;

    private static final float CHARBONNIER_EPS2 = 1e-6f; // ε = 1e-3, as in the interpolation-diffusion paper

    public static Loss parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown loss \"" + name + "\" (l1, mse, charbonnier)", e);
        }
    }

    public NDArray compute(NDArray prediction, NDArray target) {
        NDArray d = prediction.sub(target);
        switch (this) {
            case L1: return d.abs().mean();
            case MSE: return d.square().mean();
            default: return d.square().add(CHARBONNIER_EPS2).sqrt().mean();
        }
    }
}
