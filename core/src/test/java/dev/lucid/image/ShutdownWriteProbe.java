package dev.lucid.image;

import java.nio.file.Files;
import java.nio.file.Path;

/** Run in a separate JVM by AtomicFilesShutdownTest: the first use of AtomicFiles happens in a shutdown hook. */
public final class ShutdownWriteProbe {
    public static void main(String[] args) {
        Path target = Path.of(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                AtomicFiles.write(target, tmp -> Files.writeString(tmp, "checkpoint"));
            } catch (Throwable e) {
                e.printStackTrace();
            }
        }));
        System.exit(0);
    }
}
