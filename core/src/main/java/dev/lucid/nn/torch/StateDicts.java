package dev.lucid.nn.torch;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads named weights from a file, chosen by content: a PyTorch zip archive (.pt/.pth) or safetensors. */
public final class StateDicts {

    private StateDicts() {}

    public static NDList read(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no such weights file: " + file);
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
}
