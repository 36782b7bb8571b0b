package dev.lucid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The named tensors of one network, in creation order, with PyTorch state_dict-style dotted names
 * ("enc.0.conv1.weight"). Layers create their tensors here; weights are loaded and saved by name.
 * Initial values come from a seeded generator, so a fresh network is reproducible.
 */
public final class Parameters implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();
    private final Map<String, Lora.Adapter> adapters = new java.util.HashMap<>();   // by the name of the weight they adapt
    private boolean adaptersOff;                                                     // inside withoutAdapters
    private final Map<String, NDArray> spectralVectors = new java.util.HashMap<>();   // u by the name of its weight
    private final SplittableRandom init;

    public Parameters(NDManager parent, long seed) {
        this.manager = parent.newSubManager();
        this.init = new SplittableRandom(seed);
    }

    public NDManager manager() { return manager; }

    /** A tensor drawn from U(-bound, bound), as PyTorch's default init for conv/linear layers. */
    public NDArray uniform(String name, Shape shape, double bound) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((init.nextDouble() * 2 - 1) * bound);
        return register(name, manager.create(v, shape));
    }

    public NDArray constant(String name, Shape shape, float value) {
        return register(name, manager.full(shape, value, DataType.FLOAT32));
    }

    private NDArray register(String name, NDArray array) {
        if (tensors.containsKey(name)) throw new IllegalStateException("duplicate parameter name " + name);
        array.setName(name);
        tensors.put(name, array);
        return array;
    }

    /**
     * The weight a layer computes with: {@code weight} itself; with a {@link Lora} adapter attached, weight + delta;
     * with spectral normalisation, that divided by its largest singular value.
     */
    public NDArray adapted(String name, NDArray weight) {
        Lora.Adapter a = adaptersOff ? null : adapters.get(name);
        NDArray w = a == null ? weight : weight.add(a.delta(weight.getShape()));
        NDArray u = spectralVectors.get(name);
        return u == null ? w : w.div(spectralNorm(w, u));
    }

    /** Whether the weight of this name is computed from parameters by {@link #adapted} (its layer trains through it). */
    public boolean computesWeight(String name) { return !adaptersOff && adapters.containsKey(name) || spectralVectors.containsKey(name); }

    /** Prefix of the power-iteration vectors of spectrally normalised weights: outside every network's own prefix. */
    public static final String SPECTRAL_VECTOR = "spectral_u.";

    /**
     * Spectral normalisation (Miyato et al., ICLR 2018) of every weight of two or more dimensions whose name passes
     * {@code which}: its layer computes with W / σ(W), σ the largest singular value of W as a [out, rest] matrix, read
     * by one power-iteration step per forward pass from a unit vector u [out] kept as "spectral_u.NAME" (a parameter of
     * its own, so checkpoints carry it; no optimiser selects it). While the weight trains, u moves to W v / ‖W v‖ at
     * every pass, as PyTorch's spectral_norm in training mode; otherwise it stays, and the same weights give the same
     * output.
     */
    public void normaliseSpectrally(java.util.function.Predicate<String> which) {
        for (Map.Entry<String, NDArray> e : select(name -> which.test(name) && !name.startsWith(SPECTRAL_VECTOR)).entrySet()) {
            Shape shape = e.getValue().getShape();
            if (shape.dimension() < 2 || spectralVectors.containsKey(e.getKey())) continue;
            NDArray u = uniform(SPECTRAL_VECTOR + e.getKey(), new Shape(shape.get(0)), 1.0);
            Tensors.assign(u, u.div(u.norm()));
            spectralVectors.put(e.getKey(), u);
        }
    }

    /** σ = uᵀ W v with v = Wᵀu / ‖Wᵀu‖ and u = W v / ‖W v‖ (u and v constants of the gradient, as PyTorch's). */
    private static NDArray spectralNorm(NDArray w, NDArray u) {
        NDArray matrix = w.reshape(w.getShape().get(0), -1);
        NDArray v = matrix.transpose().matMul(u.stopGradient().expandDims(1)).stopGradient();
        v = v.div(v.norm().add(1e-12f));
        NDArray wv = matrix.matMul(v);
        NDArray next = wv.stopGradient().div(wv.stopGradient().norm().add(1e-12f));
        if (w.hasGradient()) u.set(next.toFloatArray());        // a copy from outside autograd: u is a leaf
        return next.transpose().matMul(wv).reshape(new Shape());
    }

    /** Computes {@code f} with the base weights alone, as if no adapter were attached (one thread at a time). */
    public <T> T withoutAdapters(java.util.function.Supplier<T> f) {
        adaptersOff = true;
        try {
            return f.get();
        } finally {
            adaptersOff = false;
        }
    }

    void attachAdapter(String weightName, Lora.Adapter adapter) { adapters.put(weightName, adapter); }

    Map<String, Lora.Adapter> detachAdapters() {
        Map<String, Lora.Adapter> out = new LinkedHashMap<>(adapters);
        adapters.clear();
        return out;
    }

    public Map<String, NDArray> asMap() { return Collections.unmodifiableMap(tensors); }

    public long count() {
        long n = 0;
        for (NDArray a : tensors.values()) n += a.size();
        return n;
    }

    public void requireGradients(boolean on) {
        for (NDArray a : tensors.values()) a.setRequiresGradient(on);
    }

    /** The tensors whose names pass {@code keep}, in creation order. */
    public Map<String, NDArray> select(java.util.function.Predicate<String> keep) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        tensors.forEach((name, a) -> { if (keep.test(name)) out.put(name, a); });
        return out;
    }

    /** The tensors as a named list, in creation order (for safetensors). */
    public NDList toNDList() {
        NDList list = new NDList();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.setName(e.getKey());
            list.add(copy);
        }
        return list;
    }

    /**
     * Copies every tensor of {@code source} into the parameter of the same name. Fails with one message that
     * lists all missing and unexpected names and wrong shapes.
     */
    public void load(NDList source) {
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (NDArray a : source) byName.put(a.getName(), a);
        List<String> problems = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>(tensors.keySet());
        missing.removeAll(byName.keySet());
        TreeSet<String> unexpected = new TreeSet<>(byName.keySet());
        unexpected.removeAll(tensors.keySet());
        if (!missing.isEmpty()) problems.add("missing " + missing);
        if (!unexpected.isEmpty()) problems.add("unexpected " + unexpected);
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray src = byName.get(e.getKey());
            if (src != null && !src.getShape().equals(e.getValue().getShape())) {
                problems.add(e.getKey() + " has shape " + src.getShape() + ", expected " + e.getValue().getShape());
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("weights do not match the network: " + String.join("; ", problems));
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray src = byName.get(e.getKey());
            Tensors.assign(e.getValue(), src.toType(DataType.FLOAT32, false));
        }
    }

    /**
     * Copies the tensors of {@code source} into the parameters whose names start with {@code prefix} (e.g. a
     * pretrained encoder inside a larger network); every such parameter must be present with its shape,
     * other names in {@code source} are ignored.
     */
    public void loadPart(NDList source, String prefix) { loadPart(source, prefix, name -> true); }

    /** The same, for the parameters whose names start with {@code prefix} and pass {@code which}. */
    public void loadPart(NDList source, String prefix, java.util.function.Predicate<String> which) {
        Map<String, NDArray> byName = new java.util.HashMap<>();
        for (NDArray a : source) byName.put(a.getName(), a);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            if (!e.getKey().startsWith(prefix) || !which.test(e.getKey())) continue;
            NDArray src = byName.get(e.getKey());
            if (src == null) missing.add(e.getKey());
            else if (!src.getShape().equals(e.getValue().getShape())) missing.add(e.getKey() + " (shape " + src.getShape() + ", expected " + e.getValue().getShape() + ")");
            else Tensors.assign(e.getValue(), src.toType(DataType.FLOAT32, false));
        }
        if (!missing.isEmpty()) throw new IllegalArgumentException("pretrained weights lack " + missing);
    }

    /**
     * Initialises from another model's weights wherever names match (a warm start, Net2Wider-style). A tensor of the
     * same shape is copied. A weight that grew (more output channels along dimension 0, more input channels along
     * dimension 1, the kernel unchanged) gets the old weight in its leading block; the old outputs read the new
     * input channels through zeros, and the new outputs keep their fresh initialisation. The widened network then
     * computes what the old one did (exactly so for networks without normalisation across channels, such as the
     * resunet), while the zero weights receive gradients from the first step, so the new channels learn.
     * Everything else keeps its fresh initialisation.
     * @return how many tensors were copied whole, widened, and left fresh
     */
    public int[] warmStart(NDList source) {
        Map<String, NDArray> byName = new java.util.HashMap<>();
        for (NDArray a : source) byName.put(a.getName(), a);
        int[] counts = new int[3];
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray src = byName.get(e.getKey()), dst = e.getValue();
            Shape from = src == null ? null : src.getShape(), to = dst.getShape();
            if (from != null && from.equals(to)) {
                Tensors.assign(dst, src.toType(DataType.FLOAT32, false));
                counts[0]++;
            } else if (from != null && grewOnlyInChannels(from, to)) {
                Tensors.assign(dst, widened(src.toType(DataType.FLOAT32, false), dst));
                counts[1]++;
            } else {
                counts[2]++;
            }
        }
        return counts;
    }

    private static boolean grewOnlyInChannels(Shape from, Shape to) {
        if (from.dimension() != to.dimension() || from.dimension() < 2 || !from.slice(2).equals(to.slice(2))) return false;
        return from.get(0) <= to.get(0) && from.get(1) <= to.get(1);
    }

    /** The fresh tensor {@code fresh} with {@code old} in its leading block and zeros where old outputs meet new inputs. */
    private static NDArray widened(NDArray old, NDArray fresh) {
        Shape small = old.getShape(), large = fresh.getShape();
        int oldOut = (int) small.get(0), oldIn = (int) small.get(1), in = (int) large.get(1);
        int kernel = (int) small.slice(2).size();
        float[] o = old.toFloatArray(), w = fresh.toFloatArray();
        for (int r = 0; r < oldOut; r++) {
            for (int c = 0; c < in; c++) {
                for (int k = 0; k < kernel; k++) w[(r * in + c) * kernel + k] = c < oldIn ? o[(r * oldIn + c) * kernel + k] : 0f;
            }
        }
        return old.getManager().create(w, large);                // on the source's manager, which the caller closes
    }

    @Override
    public void close() { manager.close(); }
}
