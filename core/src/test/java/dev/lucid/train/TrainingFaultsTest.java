package dev.lucid.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.nn.torch.StateDicts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during training (issue #21): a training run in a child JVM is killed with SIGKILL at seeded random
 * moments (after a random number of logged steps plus a random delay, so some kills land inside a checkpoint
 * write), then resumed. After every kill the checkpoint on disk decodes and is at most one checkpoint interval
 * behind the log; the resumed run ends bit-identical to an uninterrupted one.
 */
class TrainingFaultsTest {

    static final int ITERATIONS = 48, EVERY = 3, TRIALS = 4;

    @TempDir Path dir;

    @Test
    void killMinusNineLosesAtMostOneIntervalAndResumesBitIdentical() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (int i = 0; i < 3; i++) ImageFiles.write(TestImages.scene(40, 36), data.resolve("s" + i + ".png"));
        Path config = Files.writeString(dir.resolve("tiny.yaml"), String.join("\n", "name: tiny", "seed: 5",
                "architecture: " + TrainerTest.RESUNET, "data: {clean: [{path: '" + data + "'}], noise: [{recipe: 'gaussian:0-50'}], patch: 16, batch: 2}",
                "optimizer: {lr: 0.01}", "schedule: {iterations: " + ITERATIONS + ", warmup: 3}", "ema: 0.9",
                "checkpoint_every: " + EVERY, "validation: {every: 1000}"));
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        assertEquals(0, child(config, reference).waitFor(), "the uninterrupted run");
        Random random = new Random(21);
        int kills = 0, partials = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Process p = child(config, killed);
            int done = loggedSteps(killed), target = done + 2 + random.nextInt(Math.max(1, (ITERATIONS - done) / 2));
            while (p.isAlive() && loggedSteps(killed) < target) Thread.sleep(5);
            Thread.sleep(random.nextInt(40));
            if (!p.isAlive()) break;                                   // it finished first: nothing left to kill
            p.destroyForcibly().waitFor();                             // SIGKILL on Unix: no shutdown hooks run
            kills++;
            int logged = loggedSteps(killed);
            if (Files.exists(killed.resolve("checkpoint.safetensors"))) {
                long saved = checkpointStep(killed);                   // decodes: the file is never half-written
                assertTrue(logged - saved <= EVERY + 1, "trial " + trial + ": log at " + logged + ", checkpoint at " + saved);
            } else {
                assertTrue(logged <= EVERY + 1, "no checkpoint yet, but " + logged + " steps logged");
            }
            partials += partialFiles(killed).size();
            System.out.printf("kill -9 trial %d: after %d logged steps, %d lost since the checkpoint%n", trial, logged,
                    Files.exists(killed.resolve("checkpoint.safetensors")) ? logged - checkpointStep(killed) : logged);
        }
        assertEquals(0, child(config, killed).waitFor(), "the resumed run");
        assertEquals(List.of(), partialFiles(killed), "resuming removes the temporary file of a checkpoint write cut short");
        System.out.printf("kill -9: %d kills, %d cut a checkpoint write short%n", kills, partials);
        assertTrue(kills >= 2, "at least two runs were really killed: " + kills);
        assertArrayEquals(Files.readAllBytes(reference.resolve("model/weights.safetensors")), Files.readAllBytes(killed.resolve("model/weights.safetensors")),
                "after " + kills + " kills the exported weights are those of the uninterrupted run");
        assertEquals(lossColumn(reference), lossColumn(killed), "the same loss at every step");
    }

    private static Process child(Path config, Path runDir) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), TrainingProbe.class.getName(), config.toString(), runDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static List<Path> partialFiles(Path runDir) throws IOException {
        try (var files = Files.list(runDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    private static int loggedSteps(Path runDir) throws IOException {
        Path log = runDir.resolve("log.csv");
        if (!Files.exists(log)) return 0;
        return (int) Files.readAllLines(log).stream().filter(l -> !l.isBlank() && Character.isDigit(l.charAt(0))).count();
    }

    private static long checkpointStep(Path runDir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList all = StateDicts.decodeSafetensors(m, Files.readAllBytes(runDir.resolve("checkpoint.safetensors")), "checkpoint");
            for (NDArray a : all) if (a.getName().equals("state.step")) return a.getLong();
            throw new AssertionError("checkpoint without state.step");
        }
    }

    /** step → loss of log.csv (the columns after the loss hold time and gradient norms, which may differ). */
    private static List<String> lossColumn(Path runDir) throws IOException {
        return Files.readAllLines(runDir.resolve("log.csv")).stream().skip(1).map(l -> {
            String[] f = l.split(",");
            return f[0] + "," + f[1];
        }).toList();
    }
}
