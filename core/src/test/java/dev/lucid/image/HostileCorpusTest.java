package dev.lucid.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile input of {@link HostileCorpus} through the library reader: the promised image (size after
 * orientation; pixel values within 1/255 of ImageMagick's decoding where both decoders must agree) or one
 * ImageFormatException line naming the problem, each in under 10 s. Writes the per-category table of the README's
 * reliability section to target/hostile-corpus.md.
 */
class HostileCorpusTest {

    @TempDir Path dir;

    @Test
    void everyCaseGivesItsImageOrOneErrorLine() throws IOException {
        List<HostileCorpus.Case> cases = HostileCorpus.generate(dir.resolve("corpus"));
        assertTrue(cases.size() >= 60, "at least 60 cases: " + cases.size());
        boolean reference = ReferenceDecoder.available();
        Map<String, int[]> table = new TreeMap<>();                     // category -> {images, errors, compared}
        List<String> wrong = new ArrayList<>();
        for (HostileCorpus.Case c : cases) {
            int[] row = table.computeIfAbsent(c.category(), k -> new int[3]);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> check(c, row, reference), c.toString());
            } catch (AssertionError e) {
                wrong.add(e.getMessage());
            }
        }
        assertEquals(List.of(), wrong, "cases that did not give their image or one error line");
        writeTable(table, reference);
    }

    private static void check(HostileCorpus.Case c, int[] row, boolean reference) throws Exception {
        try {
            Image image = ImageFiles.read(c.file(), HostileCorpus.PIXEL_LIMIT);
            if (!c.isImage()) fail(c + ": expected an error, got " + image);
            assertEquals(c.width() + "x" + c.height(), image.width() + "x" + image.height(), c + ": size");
            row[0]++;
            if (reference && c.referenceCheck()) {
                float worst = ReferenceDecoder.maxDifference(image, c.file());
                assertTrue(worst <= 1 / 255f + 1e-6f, c + ": differs from ImageMagick by " + worst * 255 + "/255");
                row[2]++;
            }
        } catch (ImageFormatException e) {
            if (c.isImage()) fail(c + ": expected an image, got: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), c + ": one line: " + e.getMessage());
            assertTrue(e.getMessage().contains(c.error()), c + ": the message names the problem (" + c.error() + "): " + e.getMessage());
            row[1]++;
        }
    }

    private static void writeTable(Map<String, int[]> table, boolean reference) throws IOException {
        StringBuilder md = new StringBuilder("| Category | Cases | Image | One-line error (exit 2) | Pixels checked against ImageMagick |\n|---|---|---|---|---|\n");
        int[] total = new int[3];
        table.forEach((category, r) -> {
            md.append(String.format("| %s | %d | %d | %d | %d |%n", category, r[0] + r[1], r[0], r[1], r[2]));
            for (int i = 0; i < 3; i++) total[i] += r[i];
        });
        md.append(String.format("| **all** | **%d** | **%d** | **%d** | **%d** |%n", total[0] + total[1], total[0], total[1], total[2]));
        if (!reference) md.append("\nImageMagick was not installed: pixel values were not compared (.ci/run installs it).\n");
        System.out.print(md);
        Files.writeString(Files.createDirectories(Path.of("target")).resolve("hostile-corpus.md"), md);
    }
}
