package dev.lucid.train;

import dev.lucid.Progress;
import java.nio.file.Path;

/** Run in a separate JVM by TrainingFaultsTest: trains the config to its end, resuming when a checkpoint exists. */
public final class TrainingProbe {
    public static void main(String[] args) throws Exception {
        try (Trainer t = new Trainer(TrainConfig.read(Path.of(args[0])), Path.of(args[1]), s -> { })) {
            if (t.hasCheckpoint()) t.resume();
            t.train(Integer.MAX_VALUE, Progress.NONE);
        }
    }
}
