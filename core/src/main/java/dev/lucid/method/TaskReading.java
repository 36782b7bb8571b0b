package dev.lucid.method;

import dev.lucid.degrade.Degradation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The restoration task a multi-task model reads from an image: a probability per task it knows, and the tasks the model
 * applies on its own reading ({@code --task auto}); a task read but not among them is reported and the image left
 * unchanged (a model may read a clear, pale scene as hazy, and dehazing one darkens it).
 */
public record TaskReading(Map<String, Double> probabilities, Set<String> automatic) {

    public TaskReading {
        if (probabilities.isEmpty()) throw new IllegalArgumentException("a task reading needs at least one task");
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
        automatic = Set.copyOf(automatic);
    }

    /** A reading whose every task is applied on its own. */
    public TaskReading(Map<String, Double> probabilities) { this(probabilities, probabilities.keySet()); }

    /** The most probable task. */
    public String task() {
        return probabilities.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** Its probability. */
    public double probability() { return probabilities.get(task()); }

    /** What {@code --task auto} restores: the task read if the model applies it on its own, else nothing. */
    public String applied() { return automatic.contains(task()) ? task() : Degradation.NO_TASK; }
}
