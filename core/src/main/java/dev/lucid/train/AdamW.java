package dev.lucid.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.lucid.nn.Tensors;

/**
 * AdamW (Loshchilov & Hutter) with decoupled weight decay, global-norm gradient clipping and an exponential
 * moving average of the weights. The EMA decay warms up as min(decay, (1 + t) / (10 + t)), so early
 * exports follow the training instead of staying close to the random initialisation. Written out explicitly, rather than using DJL's optimiser, so that its
 * whole state (moments, EMA, step) can be saved and restored bit for bit.
 */
final class AdamW implements AutoCloseable {

    private static final float EPS = 1e-8f;

    private final Map<String, NDArray> params;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> ema;
    private final NDManager manager;
    private final double beta1, beta2, weightDecay, gradClip, emaDecay, learningRateScale;

    /** @param ema the tensors of a second network that receive the moving average (initialised to params) */
    /** @param learningRateScale this optimiser's factor on the scheduled learning rate */
    AdamW(NDManager parent, Map<String, NDArray> params, Map<String, NDArray> ema, TrainConfig config, double learningRateScale) {
        this.manager = parent.newSubManager();
        this.params = params;
        this.ema = ema;
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.weightDecay = config.weightDecay();
        this.gradClip = config.gradClip();
        this.emaDecay = config.emaDecay();
        this.learningRateScale = learningRateScale;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            firstMoment.put(e.getKey(), manager.zeros(e.getValue().getShape()));
            secondMoment.put(e.getKey(), manager.zeros(e.getValue().getShape()));
            Tensors.assign(ema.get(e.getKey()), e.getValue());
        }
    }

    /**
     * One update from the gradients the last backward pass left in the parameters, which are then zeroed.
     * @param step zero-based index of this update
     * @return the gradient norm before clipping; when it is not finite, nothing is updated
     */
    double step(int step, double lr) {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            double squares = 0;
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray g = e.getValue().getGradient();
                g.attach(scope);
                grads.put(e.getKey(), g);
                squares += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(squares);
            if (!Double.isFinite(norm)) {
                // a non-finite gradient would poison the moments for good: drop it and leave everything as it was
                for (NDArray g : grads.values()) {
                    g.set(g.isNaN().logicalOr(g.isInfinite()), 0f); // NaN − NaN is NaN: clear the bad entries first
                    g.subi(g);
                }
                return norm;
            }
            float scale = gradClip > 0 && norm > gradClip ? (float) (gradClip / norm) : 1f;
            double correction1 = 1 - Math.pow(beta1, step + 1), correction2 = 1 - Math.pow(beta2, step + 1);
            float stepSize = (float) (lr / correction1);
            float decay = (float) (1 - lr * weightDecay);
            double decayNow = Math.min(emaDecay, (1.0 + step) / (10.0 + step));
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue(), g = grads.get(name);
                NDArray clipped = g.mul(scale);
                NDArray m = firstMoment.get(name).muli((float) beta1).addi(clipped.mul((float) (1 - beta1)));
                NDArray v = secondMoment.get(name).muli((float) beta2).addi(clipped.square().mul((float) (1 - beta2)));
                NDArray denominator = scoped(v.div((float) correction2), scope).sqrt().add(EPS);
                NDArray update = scoped(m.mul(stepSize), scope).div(denominator);
                if (decay != 1f) p.muli(decay);
                p.subi(update);
                g.subi(g); // PyTorch accumulates gradients: clear them for the next backward pass
                NDArray averaged = scoped(p.mul((float) (1 - decayNow)), scope);
                ema.get(name).muli((float) decayNow).addi(averaged);
            }
            return norm;
        }
    }

    private static NDArray scoped(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    double learningRateScale() { return learningRateScale; }

    /** Zeroes the gradients a backward pass left in this optimiser's parameters without using them. */
    void clearGradients() {
        try (NDManager scope = manager.newSubManager()) {
            for (NDArray p : params.values()) {
                NDArray g = p.getGradient();
                g.attach(scope);
                g.subi(g);
            }
        }
    }

    /** Moments under "adam.m." and "adam.v." names, for the checkpoint. */
    NDList state() {
        NDList list = new NDList();
        for (String name : params.keySet()) {
            list.add(named(firstMoment.get(name), "adam.m." + name));
            list.add(named(secondMoment.get(name), "adam.v." + name));
        }
        return list;
    }

    void restore(Map<String, NDArray> checkpoint) {
        for (String name : params.keySet()) {
            Tensors.assign(firstMoment.get(name), checkpoint.get("adam.m." + name));
            Tensors.assign(secondMoment.get(name), checkpoint.get("adam.v." + name));
        }
    }

    static NDArray named(NDArray a, String name) {
        NDArray copy = a.duplicate();
        copy.setName(name);
        return copy;
    }

    @Override
    public void close() { manager.close(); }
}
