package dev.lucid.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One image file directory of a TIFF structure held in memory (a DNG, an EXIF block), its entries read on demand.
 * Offsets past the end throw {@link IndexOutOfBoundsException}; callers turn that into their own message.
 */
final class TiffIfd {

    static final int ASCII = 2, SHORT = 3, LONG = 4, RATIONAL = 5, SRATIONAL = 10;

    private final ByteBuffer b;
    private final Map<Integer, int[]> entries = new HashMap<>();   // tag → {type, count, value offset}

    private TiffIfd(ByteBuffer b, int offset) {
        this.b = b;
        int n = b.getShort(offset) & 0xffff;
        if (n == 0 || n > 4096) throw new IllegalArgumentException("a damaged directory (" + n + " entries)");
        for (int i = 0; i < n; i++) {
            int at = offset + 2 + 12 * i, type = b.getShort(at + 2), count = b.getInt(at + 4);
            int size = count * switch (type) { case SHORT, 8 -> 2; case LONG, 9, 11, 13 -> 4; case RATIONAL, SRATIONAL, 12 -> 8; default -> 1; };
            entries.put(b.getShort(at) & 0xffff, new int[] {type, count, size <= 4 ? at + 8 : b.getInt(at + 8)});
        }
    }

    /** The byte order of a TIFF header ("II" or "MM", then 42), or null when {@code bytes} do not start with one. */
    static ByteOrder order(byte[] bytes) {
        if (bytes.length < 8 || bytes[0] != bytes[1] || (bytes[0] != 'I' && bytes[0] != 'M')) return null;
        ByteOrder order = bytes[0] == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return ByteBuffer.wrap(bytes).order(order).getShort(2) == 42 ? order : null;
    }

    /** IFD0 of a TIFF structure whose header {@link #order} accepted. */
    static TiffIfd first(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order(bytes));
        return new TiffIfd(b, b.getInt(4));
    }

    /** The IFD at {@code offset} of the same structure (a SubIFD). */
    TiffIfd at(long offset) { return new TiffIfd(b, (int) offset); }

    boolean has(int tag) { return entries.containsKey(tag); }

    long[] longs(int tag) {
        int[] e = entries.get(tag);
        long[] v = new long[e[1]];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (e[0]) {
                case SHORT -> b.getShort(e[2] + 2 * i) & 0xffff;
                case LONG, 13 -> b.getInt(e[2] + 4 * i) & 0xffffffffL;
                default -> b.get(e[2] + i) & 0xff;
            };
        }
        return v;
    }

    double[] doubles(int tag) {
        int[] e = entries.get(tag);
        if (e[0] != RATIONAL && e[0] != SRATIONAL) {
            long[] l = longs(tag);
            double[] d = new double[l.length];
            for (int i = 0; i < l.length; i++) d[i] = l[i];
            return d;
        }
        double[] v = new double[e[1]];
        for (int i = 0; i < v.length; i++) {
            long num = e[0] == SRATIONAL ? b.getInt(e[2] + 8 * i) : b.getInt(e[2] + 8 * i) & 0xffffffffL;
            long den = e[0] == SRATIONAL ? b.getInt(e[2] + 8 * i + 4) : b.getInt(e[2] + 8 * i + 4) & 0xffffffffL;
            v[i] = den == 0 ? 0 : (double) num / den;
        }
        return v;
    }

    /** An ASCII tag's text without its terminating NULs, stripped; null when the tag is absent or not ASCII. */
    String ascii(int tag) {
        int[] e = entries.get(tag);
        if (e == null || e[0] != ASCII || e[1] < 1) return null;
        byte[] text = new byte[e[1]];
        b.get(e[2], text);
        return new String(text, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
    }
}
