package dev.lucid.train;

/** Linear warm-up from 0 to the peak rate, then cosine decay to the minimum rate at the last iteration. */
public record LearningRate(double peak, double min, int warmup, int iterations) {

    public double at(int step) {
        if (step < warmup) return peak * (step + 1) / warmup;
        double progress = Math.min(1.0, (double) (step - warmup) / Math.max(1, iterations - warmup));
        return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
    }
}
