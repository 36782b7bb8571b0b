package dev.lucid.spark;

import dev.lucid.Lucid;
import dev.lucid.method.Restorer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The restorers of one executor JVM, loaded once per model spec and shared by every task of that JVM (restorers
 * are safe to call from several threads); closed when the JVM shuts down. The only static state of Lucid, and it
 * exists because Spark gives tasks no other place to keep a model between partitions.
 */
final class ModelHolder {

    private static final Map<String, Restorer> LOADED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LOADED.values().forEach(Restorer::close), "lucid-spark-models"));
    }

    private ModelHolder() {}

    static Restorer get(String spec) throws IOException {
        Restorer r = LOADED.get(spec);
        if (r != null) return r;
        synchronized (LOADED) {
            r = LOADED.get(spec);
            if (r == null) {
                r = Lucid.load(spec);
                LOADED.put(spec, r);
            }
            return r;
        }
    }
}
