package dev.lucid.image;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a file through a temporary sibling and a rename, so the target is either absent, its old version,
 * or complete. Temporary files still open when the JVM is stopped (Ctrl-C, SIGTERM) are deleted.
 */
public final class AtomicFiles {

    /** Writes the whole content to the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::cleanUp, "lucid-temp-cleanup"));
        } catch (IllegalStateException shutdownInProgress) {
            // First used while the JVM is already stopping (e.g. a checkpoint written on SIGTERM): the write itself
            // must still go through, there is just no later moment left to clean up in.
        }
    }

    /** Gives writes that are finishing (e.g. a training checkpoint on SIGTERM) a moment, then deletes leftovers. */
    private static void cleanUp() {
        long deadline = System.currentTimeMillis() + 5000;
        while (!IN_PROGRESS.isEmpty() && System.currentTimeMillis() < deadline) {
            try { Thread.sleep(50); } catch (InterruptedException e) { break; }
        }
        for (Path p : IN_PROGRESS) {
            try { Files.deleteIfExists(p); } catch (IOException ignored) { /* best effort at exit */ }
        }
    }

    private AtomicFiles() {}

    /**
     * Deletes the temporary files a killed process (kill -9, power loss: no shutdown hook ran) left beside
     * {@code target}; for a writer that owns the folder, e.g. a training run resuming.
     * @return how many were deleted
     */
    public static int removeLeftovers(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        String prefix = "." + absolute.getFileName() + ".";
        int removed = 0;
        try (var files = Files.list(absolute.getParent())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(PARTIAL) && !IN_PROGRESS.contains(f.toAbsolutePath()) && Files.deleteIfExists(f)) removed++;
            }
        }
        return removed;
    }

    private static final String PARTIAL = ".partial";

    /**
     * The message and, when an encoder wrapped the system's reason (ImageIO: "I/O error writing PNG file!"), that
     * reason too: "No space left on device", "File too large", "Disk quota exceeded".
     */
    private static String withRootCause(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e || root.getMessage() == null || String.valueOf(e.getMessage()).contains(root.getMessage())
                ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new IOException("cannot write " + target + ": directory " + dir + " does not exist");
        if (!Files.isWritable(dir)) throw new IOException("cannot write " + target + ": directory " + dir + " is not writable");
        Path tmp;
        try {
            // createFile (not createTempFile, which makes 0600 files) so outputs get the usual umask permissions
            tmp = Files.createFile(dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(System.nanoTime()) + PARTIAL));
        } catch (AccessDeniedException e) {
            throw new IOException("cannot write " + target + ": directory " + dir + " is not writable", e);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        IN_PROGRESS.add(tmp);
        try {
            writer.writeTo(tmp);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (AccessDeniedException e) {
            throw new IOException("cannot write " + target + ": permission denied", e);
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + withRootCause(e), e);
        } finally {
            try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* the rename succeeded or the error is reported */ }
            IN_PROGRESS.remove(tmp);
        }
    }
}
