package dev.lucid.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lucid.Lucid;
import dev.lucid.image.ImageFiles;
import dev.lucid.image.TestImages;
import dev.lucid.method.Restorer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job on local[2]: 12 images of which 2 are broken, then the same run again (resume). */
class SparkRestoreTest {

    @TempDir Path dir;

    @Test
    void restoresTenOfTwelveLikeTheCliReportsTwoFailuresAndResumes() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out"), expected = Files.createDirectories(dir.resolve("expected"));
        for (int i = 0; i < 10; i++) ImageFiles.write(TestImages.random(60 + i, 40, 3, false, i % 2 == 0 ? 8 : 16, i), in.resolve(String.format("img%02d.%s", i, i % 3 == 0 ? "tif" : "png")));
        Files.writeString(in.resolve("broken.png"), "not an image");
        Files.write(in.resolve("cut.png"), java.util.Arrays.copyOf(Files.readAllBytes(in.resolve("img01.png")), 100));
        try (Restorer r = Lucid.load(Lucid.DEFAULT_MODEL); Stream<Path> files = Files.list(in)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("img")).toList()) {
                ImageFiles.write(r.restore(ImageFiles.read(f)), expected.resolve(f.getFileName()));
            }
        }
        SparkRestore.Totals first = run("--input", in.toString(), "--output", out.toString(), "--master", "local[2]", "--partitions", "4");
        assertEquals(new SparkRestore.Totals(10, 0, 2), first);
        try (Stream<Path> files = Files.list(expected)) {
            for (Path e : files.toList()) assertArrayEquals(Files.readAllBytes(e), Files.readAllBytes(out.resolve(e.getFileName())), "same bytes as lucid denoise: " + e.getFileName());
        }
        try (Stream<Path> files = Files.list(out)) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("_")).sorted().toList();
            assertEquals(10, names.size(), "no temporary or partial files: " + names);
        }
        try (Stream<Path> csv = Files.list(out.resolve("_report/csv"))) {
            String report = Files.readString(csv.filter(f -> f.toString().endsWith(".csv")).findFirst().orElseThrow());
            assertEquals(2, report.lines().filter(l -> l.contains(",failed,")).count(), report);
            assertTrue(report.contains("broken.png is not an image"), report);
        }
        assertTrue(Files.list(out.resolve("_report/parquet")).anyMatch(f -> f.toString().endsWith(".parquet")));
        assertEquals(new SparkRestore.Totals(0, 10, 2), run("--input", in.toString(), "--output", out.toString(), "--master", "local[2]"), "the second run resumes");
    }

    @Test
    void badOptionsFailInOneLineBeforeAnyTask() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        ImageFiles.write(TestImages.random(20, 20, 3, false, 8, 1), in.resolve("a.png"));
        assertBad("input " + dir.resolve("nope") + " does not exist", "--input", dir.resolve("nope").toString(), "--output", dir.resolve("o").toString());
        assertBad("is inside the input folder", "--input", in.toString(), "--output", in.resolve("out").toString());
        assertBad("no model named 'no-such-model'", "--input", in.toString(), "--output", dir.resolve("o").toString(), "--model", "no-such-model");
        assertBad("Missing required option: '--output=DIR' (see lucid-spark --help)", "--input", in.toString());
    }

    @Test
    void anImageTooLargeForTheHeapFailsItsRowAndTheJobGoesOn() throws Exception {
        // A child JVM with a 600 MB heap (Spark itself wants 450 MB): a 24 MP photo's planes alone, in and out, are
        // 576 MB, so it cannot be restored there (it may already fail while decoding); the small photo beside it can.
        // Before, the OutOfMemoryError reached Spark, which killed the executor (here the whole job: exit 52, no report).
        Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
        ImageFiles.write(TestImages.scene(6000, 4000), in.resolve("big.png"));
        ImageFiles.write(TestImages.scene(64, 48), in.resolve("small.png"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx600m", "-XX:-UsePerfData",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"), SparkRestore.class.getName(),
                "--input", in.toString(), "--output", out.toString(), "--master", "local[1]");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("1 restored, 0 skipped (already there), 1 failed of 2"), output);
        try (Stream<Path> csv = Files.list(out.resolve("_report/csv"))) {
            String report = Files.readString(csv.filter(f -> f.toString().endsWith(".csv")).findFirst().orElseThrow());
            String row = report.lines().filter(l -> l.contains("big.png,")).findFirst().orElseThrow();
            assertTrue(row.contains(",failed,") && (row.contains("big.png: out of memory (Java heap space, at most ")
                    || row.contains("big.png is too large to decode in this Java heap")) && row.contains("spark.executor.memory"), report);
        }
        assertTrue(Files.exists(out.resolve("small.png")) && !Files.exists(out.resolve("big.png")));
    }

    private static SparkRestore.Totals run(String... args) throws Exception {
        SparkRestore job = new SparkRestore();
        int code = new picocli.CommandLine(job).execute(args);
        assertEquals(0, code);
        return job.totals();
    }

    private static void assertBad(String message, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = SparkRestore.execute(args);
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.startsWith("lucid-spark: error: ") && text.contains(message) && text.lines().count() == 1, text);
    }
}
