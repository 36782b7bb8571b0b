package dev.lucid.nn.torch;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
        return decodeSafetensors(manager, Files.readAllBytes(file), file.toString());
    }

    /**
     * Decodes safetensors bytes after checking their structure, so that a truncated, damaged or hand-edited file is
     * one line naming the file and the tensor (DJL's decoder would say "Malformed data" or fail on a buffer size).
     */
    public static NDList decodeSafetensors(NDManager manager, byte[] data, String file) throws IOException {
        checkSafetensors(data, file);
        try (InputStream in = new ByteArrayInputStream(data)) {
            return NDList.decode(manager, in);
        } catch (RuntimeException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static final java.util.Map<String, Integer> DTYPE_BYTES = java.util.Map.of(
            "F64", 8, "F32", 4, "F16", 2, "BF16", 2, "I64", 8, "I32", 4, "I16", 2, "I8", 1, "U8", 1, "BOOL", 1);

    /** The 8-byte header length, the JSON header, and every tensor's byte range against its shape and the file size. */
    static void checkSafetensors(byte[] data, String file) throws IOException {
        if (data.length < 8) throw new IOException(file + " is truncated: " + data.length + " bytes, not even a safetensors header");
        long headerLength = java.nio.ByteBuffer.wrap(data, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > data.length - 8) {
            throw new IOException(file + " is truncated or not a safetensors file (header of " + headerLength + " bytes in a file of " + data.length + ")");
        }
        com.fasterxml.jackson.databind.JsonNode header;
        try {
            header = new com.fasterxml.jackson.databind.ObjectMapper().readTree(new String(data, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " has a damaged safetensors header: " + e.getOriginalMessage(), e);
        }
        long payload = data.length - 8 - headerLength;
        for (java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = header.fields(); it.hasNext(); ) {
            java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            com.fasterxml.jackson.databind.JsonNode t = e.getValue(), offsets = t.path("data_offsets");
            Integer size = DTYPE_BYTES.get(t.path("dtype").asText());
            if (size == null || offsets.size() != 2 || !t.path("shape").isArray()) {
                throw new IOException(file + ": tensor " + e.getKey() + " has no valid dtype, shape and data_offsets");
            }
            long elements = 1;
            for (com.fasterxml.jackson.databind.JsonNode d : t.path("shape")) elements *= d.asLong();
            long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
            if (end > payload) {
                throw new IOException(file + " is truncated: tensor " + e.getKey() + " ends at byte " + end + " of the data, which has " + payload);
            }
            if (begin < 0 || end - begin != elements * size) {
                throw new IOException(file + ": tensor " + e.getKey() + " has shape " + t.path("shape") + " but " + (end - begin) + " bytes of " + t.path("dtype").asText());
            }
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
