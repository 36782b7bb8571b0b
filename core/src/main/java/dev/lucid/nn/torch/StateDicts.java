package dev.lucid.nn.torch;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads named weights from a file, chosen by content: a PyTorch zip archive (.pt/.pth) or safetensors. */
public final class StateDicts {

    /** The weights file of Lucid's model format (a model directory's, see ModelFiles). */
    public static final String LUCID_WEIGHTS = "weights.safetensors";

    private StateDicts() {}

    public static NDList read(Path fileOrDirectory, NDManager manager) throws IOException {
        Path file = weightsFile(fileOrDirectory);
        if (TorchArchive.isArchive(file)) return TorchArchive.read(file, manager);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            if (head.length == 2 && (head[0] & 0xff) == 0x80 && head[1] == 0x02) {
                throw new IOException(file + " is a legacy (pre-1.6) PyTorch file; re-save it with torch.save(torch.load(f), f) "
                        + "or convert it to safetensors");
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            return NDList.decode(manager, in);
        } catch (RuntimeException e) {
            throw new IOException(file + " is neither a PyTorch archive nor safetensors: " + e.getMessage(), e);
        }
    }

    /**
     * The weights file itself, or the one inside a directory: {@code weights.safetensors} (Lucid's format) when
     * present, otherwise the directory's only .safetensors/.pt/.pth/.bin file.
     */
    public static Path weightsFile(Path fileOrDirectory) throws IOException {
        if (Files.isRegularFile(fileOrDirectory)) return fileOrDirectory;
        if (!Files.isDirectory(fileOrDirectory)) throw new IOException("no such weights file: " + fileOrDirectory);
        Path own = fileOrDirectory.resolve(LUCID_WEIGHTS);
        if (Files.isRegularFile(own)) return own;
        List<Path> candidates;
        try (Stream<Path> files = Files.list(fileOrDirectory)) {
            candidates = files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().matches(".*\\.(safetensors|pt|pth|bin)"))
                    .sorted().toList();
        }
        if (candidates.size() == 1) return candidates.get(0);
        throw new IOException(fileOrDirectory + (candidates.isEmpty() ? " holds no weights file (.safetensors, .pt, .pth, .bin)"
                : " holds several weights files " + candidates.stream().map(f -> f.getFileName().toString()).toList() + "; name one"));
    }
}
