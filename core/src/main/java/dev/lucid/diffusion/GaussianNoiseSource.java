package dev.lucid.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lucid.degrade.Degradation;
import java.util.SplittableRandom;

/** Standard normal tensors drawn from an explicit, seeded generator, so every sampler run is reproducible. */
public final class GaussianNoiseSource {

    private final SplittableRandom rng;

    public GaussianNoiseSource(long seed) { this.rng = new SplittableRandom(seed); }

    public NDArray next(NDManager manager, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) Degradation.gaussian(rng);
        return manager.create(v, shape);
    }
}
