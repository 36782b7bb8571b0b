package dev.lucid.eval;

import dev.lucid.Progress;
import dev.lucid.degrade.Degradation;
import dev.lucid.degrade.Degradations;
import dev.lucid.image.Image;
import dev.lucid.method.Restorer;
import dev.lucid.method.TaskReading;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How often a multi-task model's {@code --task auto} reads the right task: every clean image with every recipe
 * (seeded as evaluation sets are), the task the model reads against the recipe's own task, as a confusion table.
 * Empty for a model that reads no task.
 */
public final class TaskReadingAccuracy {

    /** true task → (read task → count), in recipe order; the total and the correct readings. */
    public record Report(Map<String, Map<String, Integer>> confusion, int total, int correct) {
        public double accuracy() { return total == 0 ? Double.NaN : (double) correct / total; }

        /** This report restricted to the degraded images: the clean ones (true task "none") left out. */
        public Report degraded() {
            Map<String, Map<String, Integer>> kept = new LinkedHashMap<>(confusion);
            kept.remove(Degradation.NO_TASK);
            int n = 0, right = 0;
            for (Map.Entry<String, Map<String, Integer>> e : kept.entrySet()) {
                n += e.getValue().values().stream().mapToInt(Integer::intValue).sum();
                right += e.getValue().getOrDefault(e.getKey(), 0);
            }
            return new Report(kept, n, right);
        }
    }

    private TaskReadingAccuracy() {}

    public static Optional<Report> run(Restorer restorer, Path cleanDir, List<String> recipes, long seed, int limit, Progress progress) throws IOException {
        Map<String, Map<String, Integer>> confusion = new LinkedHashMap<>();
        int total = 0, correct = 0;
        for (String recipe : recipes) {
            String truth = Degradations.parse(recipe).task();
            EvalSet set = EvalSet.synthetic(cleanDir, recipe, seed);
            if (limit > 0) set = set.limit(limit);
            progress.begin("reading the task of " + recipe, set.cases().size());
            for (EvalSet.Case c : set.cases()) {
                Image degraded = c.load().noisy();
                Optional<TaskReading> reading = restorer.readTask(degraded);
                if (reading.isEmpty()) return Optional.empty();
                confusion.computeIfAbsent(truth, k -> new TreeMap<>()).merge(reading.get().task(), 1, Integer::sum);
                total++;
                if (reading.get().task().equals(truth)) correct++;
                progress.advance(1);
            }
        }
        return Optional.of(new Report(confusion, total, correct));
    }
}
