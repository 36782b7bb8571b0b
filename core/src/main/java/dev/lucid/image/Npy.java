package dev.lucid.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} arrays (format versions 1–3, C order) of float32, float64, uint16 or uint8 samples, read as
 * floats: LPIPS's linear heads, and raw mosaics ({@link ImageFiles} reads a 2-D array as a CFA mosaic).
 */
public final class Npy {

    /** The array's dtype as NumPy names it (e.g. "<u2"), its shape, and its samples in C order. */
    public record Array(String dtype, int[] shape, float[] data) {}

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?[a-z]\\d)'"), SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)"),
            FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

    private Npy() {}

    /**
     * A 2-D {@code .npy} array read as a camera's CFA mosaic, packed to a raw image. Its sensor metadata comes from a
     * JSON file beside it of the same name ({@code x.npy} → {@code x.json}: {@code cfa_pattern}, {@code black_level},
     * {@code white_level}, {@code white_balance} [R, G, B gains], {@code colour_matrix} [camera RGB → XYZ, 9 values]); without
     * one, or for keys it lacks: RGGB, black 0, white 65 535 (uint16), 255 (uint8) or 1 (floats), neutral white balance and
     * the identity matrix.
     */
    static Image readMosaic(java.nio.file.Path file, String name, long maxPixels) throws IOException {
        Array a = read(java.nio.file.Files.readAllBytes(file), name);
        if (a.shape().length != 2) throw new ImageFormatException(name + ": a raw mosaic is a 2-D array, this one has shape " + Arrays.toString(a.shape()));
        int h = a.shape()[0], w = a.shape()[1];
        if (w < 2 || h < 2) throw new ImageFormatException(name + ": a mosaic of " + w + "x" + h + " is too small");
        ImageFormatException.TooLarge.check(name, w, h, maxPixels);
        String base = file.getFileName().toString();
        java.nio.file.Path sidecar = file.resolveSibling(base.substring(0, base.length() - ".npy".length()) + ".json");
        com.fasterxml.jackson.databind.JsonNode meta = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        if (java.nio.file.Files.isRegularFile(sidecar)) {
            try {
                meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Files.readAllBytes(sidecar));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new ImageFormatException(sidecar + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
        double white = a.dtype().endsWith("u2") ? 65535 : a.dtype().endsWith("u1") ? 255 : 1;
        try {
            RawInfo raw = new RawInfo(meta.path("cfa_pattern").asText("RGGB"), meta.path("black_level").asDouble(0), meta.path("white_level").asDouble(white),
                    numbers(meta.path("white_balance"), new double[] {1, 1, 1}), numbers(meta.path("colour_matrix"), new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}));
            return Dng.packed(a.data(), w, h, raw, "npy");
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(sidecar + ": " + e.getMessage(), e);
        }
    }

    private static double[] numbers(com.fasterxml.jackson.databind.JsonNode node, double[] otherwise) {
        if (!node.isArray()) return otherwise;
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) v[i] = node.get(i).asDouble();
        return v;
    }

    public static Array read(byte[] npy, String name) throws IOException {
        if (npy.length < 10 || npy[0] != (byte) 0x93 || !new String(npy, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new ImageFormatException(name + " is not a NumPy .npy file");
        }
        ByteBuffer b = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        int major = npy[6];
        int headerLength = major == 1 ? (b.getShort(8) & 0xffff) : b.getInt(8), headerStart = major == 1 ? 10 : 12;
        if (headerStart + headerLength > npy.length) throw new ImageFormatException(name + " is truncated (its header ends past the file)");
        String header = new String(npy, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header), shape = SHAPE.matcher(header), fortran = FORTRAN.matcher(header);
        if (!descr.find() || !shape.find()) throw new ImageFormatException(name + ": unreadable .npy header " + header.trim());
        if (fortran.find() && fortran.group(1).equals("True")) throw new ImageFormatException(name + ": Fortran-order arrays are not read (save it in C order)");
        int[] dims = Arrays.stream(shape.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long count = 1;
        for (int d : dims) count *= d;
        String type = descr.group(1);
        int size = Integer.parseInt(type.substring(type.length() - 1));
        char kind = type.charAt(type.length() - 2);
        if (type.charAt(0) == '>') b.order(ByteOrder.BIG_ENDIAN);
        int start = headerStart + headerLength;
        if (count > Integer.MAX_VALUE || start + count * size > npy.length) {
            throw new ImageFormatException(name + " is truncated: " + Arrays.toString(dims) + " " + type + " needs " + count * size + " bytes of data");
        }
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) {
            int at = start + i * size;
            if (kind == 'f' && size == 4) v[i] = b.getFloat(at);
            else if (kind == 'f' && size == 8) v[i] = (float) b.getDouble(at);
            else if (kind == 'u' && size == 2) v[i] = b.getShort(at) & 0xffff;
            else if (kind == 'u' && size == 1) v[i] = b.get(at) & 0xff;
            else throw new ImageFormatException(name + ": .npy samples of type " + type + " are not read (float32, float64, uint16 or uint8)");
        }
        return new Array(type, dims, v);
    }
}
