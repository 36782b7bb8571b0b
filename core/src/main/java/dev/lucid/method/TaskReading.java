package dev.lucid.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The restoration task a multi-task model reads from an image: a probability per task it knows. */
public record TaskReading(Map<String, Double> probabilities) {

    public TaskReading {
        if (probabilities.isEmpty()) throw new IllegalArgumentException("a task reading needs at least one task");
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }

    /** The most probable task. */
    public String task() {
        return probabilities.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** Its probability. */
    public double probability() { return probabilities.get(task()); }
}
