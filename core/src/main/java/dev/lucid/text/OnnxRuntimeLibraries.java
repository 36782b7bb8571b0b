package dev.lucid.text;

import ai.onnxruntime.OrtEnvironment;
import dev.lucid.LucidHome;
import dev.lucid.image.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * ONNX Runtime's native libraries, unpacked once into {@code LUCID_HOME/native/onnxruntime-VERSION/OS-ARCH} and loaded
 * from there (its {@code onnxruntime.native.path}), as DJL keeps PyTorch's in {@code ~/.djl.ai}. Left to itself, ONNX
 * Runtime copies 20 MB of libraries into a new {@code /tmp/onnxruntime-java*} folder at every start and leaves the
 * folder behind at exit (its files are marked for deletion after the folder is), with the libraries in it when the
 * process is killed. If the user set the path, or the libraries cannot be unpacked, ONNX Runtime's own way is used.
 */
final class OnnxRuntimeLibraries {

    private static final String PATH_PROPERTY = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");

    private OnnxRuntimeLibraries() {}

    /** Points ONNX Runtime at the unpacked libraries; call before its first use. Idempotent. */
    static synchronized void install() {
        if (System.getProperty(PATH_PROPERTY) != null) return;
        String version = OrtEnvironment.class.getPackage().getImplementationVersion();
        String platform = platform();
        if (version == null || platform == null) return;
        Path dir = LucidHome.resolve("native").resolve("onnxruntime-" + version).resolve(platform);
        try {
            Files.createDirectories(dir);
            for (String library : LIBRARIES) unpack("/ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(library), dir);
            System.setProperty(PATH_PROPERTY, dir.toString());
        } catch (IOException unwritableHome) {
            // ONNX Runtime then copies them to the temporary folder itself, as without this class: nothing is lost
        }
    }

    /** Copies the resource into dir unless a file of its size is there (a copy is written whole or not at all). */
    private static void unpack(String resource, Path dir) throws IOException {
        URL url = OrtEnvironment.class.getResource(resource);
        if (url == null) throw new IOException("no " + resource + " in ONNX Runtime's jar");
        Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        if (Files.isRegularFile(target) && Files.size(target) == url.openConnection().getContentLengthLong()) return;
        try (InputStream in = url.openStream()) {
            AtomicFiles.write(target, tmp -> Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING));
        }
    }

    /** ONNX Runtime's name for this platform's folder in its jar (linux-x64, osx-aarch64, …), or null if unknown. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : os.contains("nux") ? "linux" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }
}
