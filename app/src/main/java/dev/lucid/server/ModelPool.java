package dev.lucid.server;

import dev.lucid.Lucid;
import dev.lucid.ModelSpec;
import dev.lucid.image.Tiler;
import dev.lucid.method.Restorer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models the server has loaded, one restorer per model spec shared by every worker (restorers are safe to call
 * from several threads), loaded on first use. Only shipped models and the model directories given at start are
 * served: no request value ever becomes a file path.
 */
final class ModelPool implements AutoCloseable {

    private final List<String> allowed;
    private final Map<String, Restorer> loaded = new ConcurrentHashMap<>();

    /** @param extra model directories the operator allows besides the shipped models */
    ModelPool(List<String> extra) {
        this.allowed = new java.util.ArrayList<>(Lucid.shippedModels());
        this.allowed.addAll(extra);
    }

    List<String> names() { return allowed; }

    /** The restorer of {@code spec} ({@code NAME[:key=value,...]}), loading it once. */
    Restorer get(String spec) throws IOException {
        String model = ModelSpec.parse(spec).model();
        if (!allowed.contains(model)) throw new IllegalArgumentException("unknown model \"" + model + "\" (models: " + String.join(", ", allowed) + ")");
        Restorer r = loaded.get(spec);
        if (r != null) return r;
        synchronized (this) {
            r = loaded.get(spec);
            if (r == null) {
                r = Lucid.load(spec, Tiler.Settings.defaults());
                loaded.put(spec, r);
            }
            return r;
        }
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(Restorer::close);
        loaded.clear();
    }
}
