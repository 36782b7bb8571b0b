package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021) on a network's convolution and linear weights: W + (α/r)·U·D with
 * D [r, in·k·k] drawn small and U [out, r] zero, so a fresh adapter changes nothing. The base weights stay frozen
 * (no gradient, no optimiser state); only the adapter tensors ({@code NAME.lora_down}, {@code NAME.lora_up} beside
 * {@code NAME.weight}) train. {@link Conv2d} and {@link Linear} ask {@link Parameters#adapted} for their weight, so
 * an attached adapter takes part in every forward pass; {@link #merge} folds it into the weights for inference,
 * which then costs nothing extra. Adapter files hold only the adapter tensors (a few hundred kB at rank 4).
 * Used by {@code lucid adapt} (a camera's own noise, learnt from its photos) and by per-camera adapters.
 */
public final class Lora {

    public static final String DOWN = ".lora_down", UP = ".lora_up";
    private static final String WEIGHT = ".weight";

    private Lora() {}

    /** An attached adapter of one weight: delta = scale · up · down, reshaped as the weight. */
    record Adapter(NDArray down, NDArray up, float scale) {
        NDArray delta(Shape weightShape) { return up.matMul(down).mul(scale).reshape(weightShape); }
    }

    /** Whether a tensor name is an adapter's (the tensors an adaptation trains and an adapter file holds). */
    public static boolean isAdapterTensor(String name) { return name.endsWith(DOWN) || name.endsWith(UP); }

    /**
     * Attaches a rank-{@code rank} adapter, scale α/r, to every weight of {@code p} that is a convolution [out, in, k, k]
     * or a linear layer [out, in] with more than {@code rank} outputs and inputs; depthwise convolutions
     * ([out, 1, k, k]) keep their base weights. Adapter tensors are registered in {@code p} (so checkpoints and EMA
     * see them) and drawn from its seeded generator.
     * Only weights whose names {@code which} accepts take one (a method's {@code adaptable}).
     * @return how many weights got an adapter
     */
    public static int attach(Parameters p, int rank, double alpha, java.util.function.Predicate<String> which) {
        if (rank < 1) throw new IllegalArgumentException("the adapter rank must be at least 1, got " + rank);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        p.asMap().forEach((name, a) -> {
            Shape s = a.getShape();
            boolean conv = s.dimension() == 4 && s.get(1) > 1, linear = s.dimension() == 2;
            if (name.endsWith(WEIGHT) && which.test(name) && (conv || linear) && s.get(0) > rank && s.size() / s.get(0) > rank) weights.put(name, a);
        });
        weights.forEach((name, w) -> {
            String base = name.substring(0, name.length() - WEIGHT.length());
            long out = w.getShape().get(0), in = w.getShape().size() / out;
            NDArray down = p.uniform(base + DOWN, new Shape(rank, in), 1.0 / Math.sqrt(in));
            NDArray up = p.constant(base + UP, new Shape(out, rank), 0f);
            p.attachAdapter(name, new Adapter(down, up, (float) (alpha / rank)));
        });
        return weights.size();
    }

    /** Folds every attached adapter into its weight (W ← W + delta) and detaches it; the adapter tensors stay as they are. */
    public static void merge(Parameters p) {
        for (Map.Entry<String, Adapter> e : p.detachAdapters().entrySet()) {
            NDArray w = p.asMap().get(e.getKey());
            NDArray delta = e.getValue().delta(w.getShape());
            w.addi(delta);
            delta.close();
        }
    }

    /** The adapter tensors of {@code p}, named, in creation order (what an adapter file holds). */
    public static NDList tensors(Parameters p) {
        NDList out = new NDList();
        p.select(Lora::isAdapterTensor).forEach((name, a) -> {
            NDArray copy = a.duplicate();
            copy.setName(name);
            out.add(copy);
        });
        return out;
    }

    /** Loads an adapter file's tensors into the attached adapters: the same names and shapes, all of them. */
    public static void load(Parameters p, NDList adapter) {
        Set<String> expected = p.select(Lora::isAdapterTensor).keySet();
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (NDArray a : adapter) byName.put(a.getName(), a);
        if (!byName.keySet().equals(expected)) {
            java.util.TreeSet<String> missing = new java.util.TreeSet<>(expected), unexpected = new java.util.TreeSet<>(byName.keySet());
            missing.removeAll(byName.keySet());
            unexpected.removeAll(expected);
            throw new IllegalArgumentException("the adapter does not fit this model"
                    + (missing.isEmpty() ? "" : ": it lacks " + first(missing)) + (unexpected.isEmpty() ? "" : ": it has " + first(unexpected) + " that the model has not"));
        }
        for (Map.Entry<String, NDArray> e : p.select(Lora::isAdapterTensor).entrySet()) {
            Shape given = byName.get(e.getKey()).getShape();
            if (!given.equals(e.getValue().getShape())) {
                throw new IllegalArgumentException("the adapter does not fit this model: " + e.getKey() + " has shape " + given + ", the model's " + e.getValue().getShape());
            }
        }
        p.loadPart(adapter, "", Lora::isAdapterTensor);
    }

    private static String first(java.util.SortedSet<String> names) {
        return names.size() == 1 ? names.first() : names.first() + " and " + (names.size() - 1) + " more";
    }
}
