package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression: a checkpoint written on SIGTERM before any other write used to fail with "Shutdown in progress". */
class AtomicFilesShutdownTest {

    @Test
    void writesStillWorkWhenFirstUsedDuringShutdown(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("checkpoint.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShutdownWriteProbe.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals("checkpoint", Files.exists(target) ? Files.readString(target) : "missing; output: " + output);
    }
}
