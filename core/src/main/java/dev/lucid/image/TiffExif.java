package dev.lucid.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An EXIF block (a little TIFF file: IFD0 with the camera tags, pointers to the EXIF and GPS sub-IFDs) as TIFF
 * fields, for TIFF outputs: the JDK's TIFF reader parses it, sub-IFDs included, and its writer lays the fields out
 * again in the output's own IFD0. For TIFF inputs the way back: the camera tags of a TIFF's IFD0 (its reader's
 * metadata tree) laid out as an EXIF block, which every output format then carries.
 */
final class TiffExif {

    private TiffExif() {}

    /** The fields of the EXIF block's IFD0 except those in {@code skip}; empty when the block cannot be parsed. */
    static List<TIFFField> fields(byte[] exif, Set<Integer> skip) {
        List<TIFFField> out = new ArrayList<>();
        ImageReader reader = jdkTiffReader();
        if (reader == null) return out;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(exif))) {
            reader.setInput(in, true, false);
            TIFFDirectory ifd0 = TIFFDirectory.createFromMetadata(reader.getImageMetadata(0));
            for (TIFFField f : ifd0.getTIFFFields()) if (!skip.contains(f.getTagNumber())) out.add(f);
        } catch (IOException | RuntimeException e) {
            // a damaged EXIF block: the photo is still written, without its camera tags
            out.clear();
        } finally {
            reader.dispose();
        }
        return out;
    }

    /**
     * The EXIF block (little-endian TIFF) of a TIFF metadata tree's IFD0 node: its fields except those in
     * {@code skip}, with the EXIF, GPS and interoperability sub-IFDs (TIFFIFD nodes) after them; null when no field
     * is left. A field of a type the tree cannot spell is left out.
     */
    static byte[] block(Node ifd0, Set<Integer> skip) {
        Block out = new Block();
        out.append(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0});
        try {
            return out.ifd(ifd0, skip) ? out.bytes() : null;
        } catch (RuntimeException damaged) {
            return null;                                           // a tree the reader built oddly: the photo, without its camera tags
        }
    }

    /** One IFD entry: a value, or a sub-IFD (its tree node) whose offset is filled in once it is laid out. */
    private record Entry(int tag, int type, int count, byte[] value, Node subIfd) {}

    /** The types of the tree's value nodes (TIFFShorts, TIFFRationals, ...) and their TIFF type numbers. */
    private static final java.util.Map<String, Integer> TYPES = java.util.Map.ofEntries(
            java.util.Map.entry("TIFFBytes", TIFFTag.TIFF_BYTE), java.util.Map.entry("TIFFSBytes", TIFFTag.TIFF_SBYTE),
            java.util.Map.entry("TIFFAsciis", TIFFTag.TIFF_ASCII), java.util.Map.entry("TIFFShorts", TIFFTag.TIFF_SHORT),
            java.util.Map.entry("TIFFSShorts", TIFFTag.TIFF_SSHORT), java.util.Map.entry("TIFFLongs", TIFFTag.TIFF_LONG),
            java.util.Map.entry("TIFFSLongs", TIFFTag.TIFF_SLONG), java.util.Map.entry("TIFFRationals", TIFFTag.TIFF_RATIONAL),
            java.util.Map.entry("TIFFSRationals", TIFFTag.TIFF_SRATIONAL), java.util.Map.entry("TIFFFloats", TIFFTag.TIFF_FLOAT),
            java.util.Map.entry("TIFFDoubles", TIFFTag.TIFF_DOUBLE), java.util.Map.entry("TIFFUndefined", TIFFTag.TIFF_UNDEFINED));

    private static List<Entry> entries(Node ifd, Set<Integer> skip) {
        List<Entry> entries = new ArrayList<>();
        for (Node n = ifd.getFirstChild(); n != null; n = n.getNextSibling()) {
            Element e = (Element) n;
            if (n.getNodeName().equals("TIFFIFD") && e.hasAttribute("parentTagNumber")) {
                int tag = Integer.parseInt(e.getAttribute("parentTagNumber"));
                if (!skip.contains(tag) && !entries(n, Set.of()).isEmpty()) entries.add(new Entry(tag, TIFFTag.TIFF_LONG, 1, null, n));
            } else if (n.getNodeName().equals("TIFFField")) {
                int tag = Integer.parseInt(e.getAttribute("number"));
                Node values = n.getFirstChild();
                Integer type = values == null ? null : TYPES.get(values.getNodeName());
                if (skip.contains(tag) || type == null) continue;
                try {
                    Entry entry = value(tag, type, values);
                    if (entry != null) entries.add(entry);
                } catch (RuntimeException malformed) {
                    // a value the tree spells oddly: that one tag is left out, the photo keeps the rest
                }
            }
        }
        entries.sort(java.util.Comparator.comparingInt(Entry::tag));
        return entries;
    }

    private static Entry value(int tag, int type, Node values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (type == TIFFTag.TIFF_UNDEFINED) {                       // one node: "0, 0, 26, -36, ..."
            String[] parts = ((Element) values).getAttribute("value").split(",");
            byte[] v = new byte[parts.length];
            for (int i = 0; i < v.length; i++) v[i] = (byte) Integer.parseInt(parts[i].strip());
            return new Entry(tag, type, v.length, v, null);
        }
        java.io.ByteArrayOutputStream v = new java.io.ByteArrayOutputStream();
        int count = 0;
        for (Node n = values.getFirstChild(); n != null; n = n.getNextSibling()) {
            String text = ((Element) n).getAttribute("value");
            b.clear();
            switch (type) {
                case TIFFTag.TIFF_ASCII -> {
                    byte[] ascii = (text + "\0").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    v.writeBytes(ascii);
                    count += ascii.length;
                    continue;
                }
                case TIFFTag.TIFF_BYTE, TIFFTag.TIFF_SBYTE -> b.put((byte) Integer.parseInt(text));
                case TIFFTag.TIFF_SHORT, TIFFTag.TIFF_SSHORT -> b.putShort((short) Integer.parseInt(text));
                case TIFFTag.TIFF_LONG, TIFFTag.TIFF_SLONG -> b.putInt((int) Long.parseLong(text));
                case TIFFTag.TIFF_RATIONAL, TIFFTag.TIFF_SRATIONAL -> {
                    String[] nd = text.split("/");
                    b.putInt((int) Long.parseLong(nd[0].strip())).putInt(nd.length > 1 ? (int) Long.parseLong(nd[1].strip()) : 1);
                }
                case TIFFTag.TIFF_FLOAT -> b.putFloat(Float.parseFloat(text));
                default -> b.putDouble(Double.parseDouble(text));      // TIFF_DOUBLE
            }
            v.write(b.array(), 0, b.position());
            count++;
        }
        return count == 0 ? null : new Entry(tag, type, count, v.toByteArray(), null);
    }

    /** A growing little-endian buffer whose IFD tables are patched once their values' offsets are known. */
    private static final class Block {
        private byte[] data = new byte[256];
        private int size;

        byte[] bytes() { return java.util.Arrays.copyOf(data, size); }

        void append(byte[] bytes) {
            if (size + bytes.length > data.length) data = java.util.Arrays.copyOf(data, Math.max(2 * data.length, size + bytes.length));
            System.arraycopy(bytes, 0, data, size, bytes.length);
            size += bytes.length;
            if ((size & 1) == 1) append(new byte[1]);              // values start on a word boundary
        }

        void put(int at, int value, int bytes) {
            for (int i = 0; i < bytes; i++) data[at + i] = (byte) (value >>> (8 * i));
        }

        /** Lays out one IFD (table, then its long values, then its sub-IFDs); false when it has no entry. */
        boolean ifd(Node node, Set<Integer> skip) {
            List<Entry> entries = entries(node, skip);
            if (entries.isEmpty()) return false;
            int table = size;
            append(new byte[2 + 12 * entries.size() + 4]);
            put(table, entries.size(), 2);
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                int at = table + 2 + 12 * i;
                put(at, e.tag(), 2);
                put(at + 2, e.type(), 2);
                put(at + 4, e.count(), 4);
                if (e.value() != null && e.value().length <= 4) System.arraycopy(e.value(), 0, data, at + 8, e.value().length);
                else if (e.value() != null) {
                    put(at + 8, size, 4);
                    append(e.value());
                }
            }
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.subIfd() == null) continue;
                put(table + 2 + 12 * i + 8, size, 4);
                ifd(e.subIfd(), Set.of());
            }
            return true;
        }
    }

    /** A tag Lucid writes that the baseline tag set does not know (XMP, ICC profile). */
    static TIFFTag tag(String name, int number, int type) { return new TIFFTag(name, number, 1 << type); }

    private static ImageReader jdkTiffReader() {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio.")) return r;
        }
        return null;
    }
}
