package dev.lucid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.image.HostileCorpus;
import dev.lucid.image.Image;
import dev.lucid.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus through {@code lucid denoise} (the peer "noisy", so only the file handling is under
 * test): exit 0 with an output of the promised size, or exit 2 with exactly one error line and no output or
 * temporary file left; never exit 1, a stack trace or more than 10 s.
 */
class HostileCorpusCliTest {

    @TempDir Path dir;

    @Test
    void everyCaseIsAnOutputOrOneErrorLineWithExitTwo() throws Exception {
        List<HostileCorpus.Case> cases = HostileCorpus.generate(dir.resolve("corpus"));
        Path outDir = Files.createDirectories(dir.resolve("out"));
        List<String> wrong = new ArrayList<>();
        int index = 0;
        for (HostileCorpus.Case c : cases) {
            Path out = outDir.resolve("case" + index++ + ".png");
            long start = System.nanoTime();
            DenoiseCommandTest.Run r = DenoiseCommandTest.run("denoise", c.file().toString(), "-o", out.toString(), "--model", "noisy",
                    "--max-pixels", String.valueOf(HostileCorpus.PIXEL_LIMIT));
            double seconds = (System.nanoTime() - start) / 1e9;
            String what = c + " (exit " + r.code() + "): " + r.err().strip();
            if (seconds > 10) wrong.add(what + ": took " + seconds + " s");
            if (r.err().contains("Exception") || r.err().contains("\tat ")) wrong.add(what + ": a stack trace");
            if (c.isImage()) {
                if (r.code() != 0 || !Files.exists(out)) {
                    wrong.add(what + ": expected an image");
                } else {
                    Image written = ImageFiles.read(out);
                    if (written.width() != c.width() || written.height() != c.height()) wrong.add(what + ": wrote " + written);
                }
            } else if (r.code() != Main.EXIT_BAD_INPUT || r.errorLines().size() != 1 || r.err().strip().lines().count() != 1 || Files.exists(out)) {
                wrong.add(what + ": expected exit 2, one error line and no output");
            }
        }
        try (var left = Files.list(outDir)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".partial")).toList(), "no temporary file left");
        }
        assertEquals(List.of(), wrong);
        assertTrue(cases.size() >= 60);
    }
}
