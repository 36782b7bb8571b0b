package dev.lucid.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: every process that encoded a caption left a /tmp/onnxruntime-java* folder behind (20 MB of libraries
 * in it when killed). The libraries are now unpacked once into Lucid's home and loaded from there.
 */
class OnnxRuntimeLibrariesTest {

    @Test
    void theLibrariesAreUnpackedOnceAndNothingIsLeftInTheTemporaryFolder(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home")), tmp = Files.createDirectories(dir.resolve("tmp"));
        assertEquals("dimension 384", encodeInChild(home, tmp));
        Path libraries = home.resolve("native").resolve("onnxruntime-" + ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion())
                .resolve(OnnxRuntimeLibraries.platform());
        Path main = libraries.resolve(System.mapLibraryName("onnxruntime")), jni = libraries.resolve(System.mapLibraryName("onnxruntime4j_jni"));
        assertTrue(Files.size(main) > 1_000_000 && Files.size(jni) > 10_000, "both libraries unpacked into " + libraries);
        assertEquals(List.of(), leftIn(tmp), "nothing left in the temporary folder");

        FileTime unpacked = Files.getLastModifiedTime(main);
        assertEquals("dimension 384", encodeInChild(home, tmp));
        assertEquals(unpacked, Files.getLastModifiedTime(main), "the second process reuses the unpacked library");
        assertEquals(List.of(), leftIn(tmp), "nothing left the second time either");
        try (Stream<Path> files = Files.list(libraries)) {
            assertEquals(2, files.count(), "no partial copies beside the libraries");
        }
    }

    private static String encodeInChild(Path home, Path tmp) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), SentenceEncoderProbe.class.getName())
                .redirectErrorStream(true);
        builder.environment().put("LUCID_HOME", home.toString());
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child finished");
        return output.lines().filter(l -> l.startsWith("dimension")).findFirst().orElse("no result; output: " + output);
    }

    private static List<String> leftIn(Path tmp) throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("onnxruntime")).sorted().toList();
        }
    }
}
