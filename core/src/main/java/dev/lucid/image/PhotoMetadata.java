package dev.lucid.image;

import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a photographer must not lose: the EXIF block (camera, lens, date, GPS, …, as its TIFF structure), the XMP
 * packet and the ICC colour profile of a photo. Read from a JPEG's markers, a PNG's chunks (eXIf, iTXt
 * "XML:com.adobe.xmp", iCCP) or a TIFF's IFD0 (its camera tags and EXIF/GPS sub-IFDs as an EXIF block, its XMP and ICC
 * tags), and written into
 * JPEG outputs (APP1, APP2), PNG outputs (iCCP, eXIf, iTXt) and TIFF outputs (the EXIF camera tags of IFD0 with
 * their EXIF and GPS sub-IFDs, XMP tag 700, ICC tag 34675), with the orientation tag set to 1 once the pixels have
 * been turned upright.
 */
public record PhotoMetadata(byte[] exif, byte[] xmp, byte[] icc) {

    private static final String JPEG_FORMAT = "javax_imageio_jpeg_image_1.0";
    private static final int APP1 = 0xE1, APP2 = 0xE2, ORIENTATION = 0x0112;
    private static final byte[] EXIF_HEADER = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC_HEADER = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    public boolean isEmpty() { return exif == null && xmp == null && icc == null; }

    /** The camera of the EXIF block, "Make Model" (IFD0 tags 271, 272), or null when it names none. */
    public String camera() {
        if (exif == null || TiffIfd.order(exif) == null) return null;
        try {
            TiffIfd ifd0 = TiffIfd.first(exif);
            String make = ifd0.ascii(271), model = ifd0.ascii(272), camera;
            if (model == null || model.isEmpty()) camera = make;
            else if (make == null || model.startsWith(make)) camera = model;         // a model name often repeats the make ("Canon EOS 5D")
            else camera = make + " " + model;
            return camera == null || camera.isBlank() ? null : camera;
        } catch (RuntimeException damaged) {
            return null;
        }
    }

    /** The metadata of a JPEG's markers, or null when it has none. */
    static PhotoMetadata fromJpeg(IIOMetadata metadata) {
        if (metadata == null || !Arrays.asList(metadata.getMetadataFormatNames()).contains(JPEG_FORMAT)) return null;
        Node root = metadata.getAsTree(JPEG_FORMAT);
        byte[] exif = null, xmp = null, icc = null;
        TreeMap<Integer, byte[]> iccChunks = new TreeMap<>();
        NodeList unknown = ((IIOMetadataNode) root).getElementsByTagName("unknown");
        for (int i = 0; i < unknown.getLength(); i++) {
            IIOMetadataNode node = (IIOMetadataNode) unknown.item(i);
            if (!(node.getUserObject() instanceof byte[] data)) continue;
            int marker = Integer.parseInt(node.getAttribute("MarkerTag"));
            if (marker == APP1 && startsWith(data, EXIF_HEADER) && exif == null) exif = Arrays.copyOfRange(data, EXIF_HEADER.length, data.length);
            else if (marker == APP1 && startsWith(data, XMP_HEADER) && xmp == null) xmp = Arrays.copyOfRange(data, XMP_HEADER.length, data.length);
            else if (marker == APP2 && startsWith(data, ICC_HEADER) && data.length > ICC_HEADER.length + 2) {
                iccChunks.put(data[ICC_HEADER.length] & 0xff, Arrays.copyOfRange(data, ICC_HEADER.length + 2, data.length));
            }
        }
        NodeList jfifIcc = ((IIOMetadataNode) root).getElementsByTagName("app2ICC");
        if (jfifIcc.getLength() > 0 && ((IIOMetadataNode) jfifIcc.item(0)).getUserObject() instanceof ICC_Profile profile) icc = profile.getData();
        else if (!iccChunks.isEmpty()) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            iccChunks.values().forEach(joined::writeBytes);
            icc = joined.toByteArray();
        }
        PhotoMetadata found = new PhotoMetadata(exif, xmp, icc);
        return found.isEmpty() ? null : found;
    }

    private static final int TIFF_XMP = 700, TIFF_ICC = 34675;
    /**
     * IFD0 tags that describe an image's pixels (a TIFF's own, or the EXIF block's thumbnail), its pages and sub-images,
     * not the photo: never copied.
     */
    private static final java.util.Set<Integer> IMAGE_STRUCTURE = java.util.Set.of(254, 255, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279,
            284, 297, 317, 320, 322, 323, 324, 325, 330, 338, 339, 347, 513, 514, 530, 531, 532, TIFF_XMP, TIFF_ICC);

    /** Adds the EXIF camera tags (with their sub-IFDs), XMP and ICC profile to a TIFF writer's image metadata. */
    IIOMetadata addToTiff(IIOMetadata metadata) throws IIOInvalidTreeException {
        javax.imageio.plugins.tiff.TIFFDirectory dir = javax.imageio.plugins.tiff.TIFFDirectory.createFromMetadata(metadata);
        if (exif != null) for (javax.imageio.plugins.tiff.TIFFField f : TiffExif.fields(exif, IMAGE_STRUCTURE)) dir.addTIFFField(f);
        if (xmp != null) dir.addTIFFField(new javax.imageio.plugins.tiff.TIFFField(TiffExif.tag("XMP", TIFF_XMP, javax.imageio.plugins.tiff.TIFFTag.TIFF_BYTE),
                javax.imageio.plugins.tiff.TIFFTag.TIFF_BYTE, xmp.length, xmp));
        if (icc != null) dir.addTIFFField(new javax.imageio.plugins.tiff.TIFFField(TiffExif.tag("InterColorProfile", TIFF_ICC, javax.imageio.plugins.tiff.TIFFTag.TIFF_UNDEFINED),
                javax.imageio.plugins.tiff.TIFFTag.TIFF_UNDEFINED, icc.length, icc));
        return dir.getAsMetadata();
    }

    private static final String PNG_FORMAT = "javax_imageio_png_1.0", PNG_XMP_KEYWORD = "XML:com.adobe.xmp";
    /** The TIFF tree formats of the JDK's reader and of TwelveMonkeys' (JAI's): the same TIFFField nodes. */
    private static final java.util.List<String> TIFF_FORMATS = java.util.List.of("javax_imageio_tiff_image_1.0", "com_sun_media_imageio_plugins_tiff_image_1.0");

    /** The XMP packet (tag 700) and ICC profile (tag 34675) of a TIFF's first IFD, or null when it has neither. */
    static PhotoMetadata fromTiff(IIOMetadata metadata) {
        if (metadata == null) return null;
        String format = java.util.Arrays.stream(metadata.getMetadataFormatNames()).filter(TIFF_FORMATS::contains).findFirst().orElse(null);
        if (format == null) return null;
        Node ifd = metadata.getAsTree(format).getFirstChild();
        if (ifd == null) return null;
        byte[] exif = TiffExif.block(ifd, IMAGE_STRUCTURE), xmp = null, icc = null;
        for (Node field = ifd.getFirstChild(); field != null; field = field.getNextSibling()) {
            if (!"TIFFField".equals(field.getNodeName())) continue;
            String number = ((IIOMetadataNode) field).getAttribute("number");
            if (number.equals(String.valueOf(TIFF_XMP))) xmp = tiffBytes(field);
            else if (number.equals(String.valueOf(TIFF_ICC))) icc = tiffBytes(field);
        }
        PhotoMetadata found = new PhotoMetadata(exif, xmp, icc);
        return found.isEmpty() ? null : found;
    }

    /** The bytes of a BYTE or UNDEFINED field: one TIFFByte node per value, or one TIFFUndefined node "0, 0, 26, -36, ...". */
    private static byte[] tiffBytes(Node field) {
        Node values = field.getFirstChild();                                 // TIFFBytes holding TIFFByte nodes, or one TIFFUndefined
        if (values == null) return null;
        java.util.List<IIOMetadataNode> nodes = new java.util.ArrayList<>();
        if (((IIOMetadataNode) values).hasAttribute("value")) nodes.add((IIOMetadataNode) values);
        for (Node v = values.getFirstChild(); v != null; v = v.getNextSibling()) nodes.add((IIOMetadataNode) v);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (IIOMetadataNode v : nodes) {
            try {
                for (String part : v.getAttribute("value").split(",")) out.write(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                return null;                                            // not bytes: leave the tag out
            }
        }
        return out.size() == 0 ? null : out.toByteArray();
    }

    /** The metadata of a PNG's eXIf, XMP iTXt and iCCP chunks (JDK reader metadata), or null when it has none. */
    static PhotoMetadata fromPng(IIOMetadata metadata) {
        if (metadata == null || !Arrays.asList(metadata.getMetadataFormatNames()).contains(PNG_FORMAT)) return null;
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(PNG_FORMAT);
        byte[] exif = null, xmp = null, icc = null;
        NodeList unknown = root.getElementsByTagName("UnknownChunk");
        for (int i = 0; i < unknown.getLength(); i++) {
            IIOMetadataNode chunk = (IIOMetadataNode) unknown.item(i);
            if ("eXIf".equals(chunk.getAttribute("type")) && chunk.getUserObject() instanceof byte[] data) exif = data.clone();
        }
        NodeList text = root.getElementsByTagName("iTXtEntry");
        for (int i = 0; i < text.getLength(); i++) {
            IIOMetadataNode entry = (IIOMetadataNode) text.item(i);
            if (PNG_XMP_KEYWORD.equals(entry.getAttribute("keyword"))) xmp = entry.getAttribute("text").getBytes(StandardCharsets.UTF_8);
        }
        NodeList profile = root.getElementsByTagName("iCCP");
        if (profile.getLength() > 0 && ((IIOMetadataNode) profile.item(0)).getUserObject() instanceof byte[] data) icc = inflatedProfile(data);
        PhotoMetadata found = new PhotoMetadata(exif, xmp, icc);
        return found.isEmpty() ? null : found;
    }

    /** The iCCP profile as the reader holds it: deflated as in the file (inflated here), or already plain. */
    private static byte[] inflatedProfile(byte[] data) {
        if (data.length > 40 && data[36] == 'a' && data[37] == 'c' && data[38] == 's' && data[39] == 'p') return data.clone();
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        inflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) return null;   // damaged: no profile
                out.write(buffer, 0, n);
                if (out.size() > 16 << 20) return null;                                            // not a profile: a bomb
            }
        } catch (java.util.zip.DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    /** This metadata with the EXIF orientation tag set to 1 (the pixels are upright now). */
    PhotoMetadata upright() {
        if (exif == null || exif.length < 8) return this;
        byte[] copy = exif.clone();
        ByteBuffer b = ByteBuffer.wrap(copy).order(copy[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        try {
            int ifd = b.getInt(4), entries = b.getShort(ifd) & 0xffff;
            for (int e = 0; e < entries; e++) {
                int entry = ifd + 2 + 12 * e;
                if ((b.getShort(entry) & 0xffff) == ORIENTATION) b.putShort(entry + 8, (short) 1);
            }
        } catch (IndexOutOfBoundsException malformed) {
            return this; // a broken block is carried as it came
        }
        return new PhotoMetadata(copy, xmp, icc);
    }

    /** Adds the EXIF and XMP blocks (APP1) and the ICC profile (APP2 through the JFIF marker) to JPEG writer metadata. */
    void addToJpeg(IIOMetadata metadata) throws IIOInvalidTreeException {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(JPEG_FORMAT);
        IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
        if (xmp != null) markers.insertBefore(app1(XMP_HEADER, xmp), markers.getFirstChild());
        if (exif != null) markers.insertBefore(app1(EXIF_HEADER, exif), markers.getFirstChild());
        if (icc != null) {
            // as raw APP2 "ICC_PROFILE" chunks after the APP1 blocks (the writer's JFIF path would put its own sRGB there)
            NodeList defaults = root.getElementsByTagName("app2ICC");
            for (int i = defaults.getLength() - 1; i >= 0; i--) defaults.item(i).getParentNode().removeChild(defaults.item(i));
            int chunk = 65519 - ICC_HEADER.length - 2, count = (icc.length + chunk - 1) / chunk;
            Node after = markers.getFirstChild();
            while (after != null && "unknown".equals(after.getNodeName()) && String.valueOf(APP1).equals(((IIOMetadataNode) after).getAttribute("MarkerTag"))) after = after.getNextSibling();
            for (int k = count - 1; k >= 0; k--) {
                byte[] part = Arrays.copyOfRange(icc, k * chunk, Math.min(icc.length, (k + 1) * chunk));
                byte[] data = new byte[ICC_HEADER.length + 2 + part.length];
                System.arraycopy(ICC_HEADER, 0, data, 0, ICC_HEADER.length);
                data[ICC_HEADER.length] = (byte) (k + 1);
                data[ICC_HEADER.length + 1] = (byte) count;
                System.arraycopy(part, 0, data, ICC_HEADER.length + 2, part.length);
                IIOMetadataNode node = new IIOMetadataNode("unknown");
                node.setAttribute("MarkerTag", String.valueOf(APP2));
                node.setUserObject(data);
                markers.insertBefore(node, after);
                after = node;
            }
        }
        metadata.setFromTree(JPEG_FORMAT, root);
    }

    /**
     * The PNG chunks that carry this metadata, to follow IHDR: iCCP (the profile, deflated), eXIf (the EXIF block)
     * and iTXt "XML:com.adobe.xmp" (the XMP packet).
     */
    byte[] pngChunks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (icc != null) {
            java.util.zip.Deflater deflater = new java.util.zip.Deflater();
            deflater.setInput(icc);
            deflater.finish();
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) packed.write(buffer, 0, deflater.deflate(buffer));
            deflater.end();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            data.writeBytes("ICC profile\0\0".getBytes(StandardCharsets.ISO_8859_1));   // keyword, NUL, compression 0
            data.writeBytes(packed.toByteArray());
            chunk(out, "iCCP", data.toByteArray());
        }
        if (exif != null) chunk(out, "eXIf", exif);
        if (xmp != null) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            data.writeBytes("XML:com.adobe.xmp\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1));  // keyword, uncompressed, no language
            data.writeBytes(xmp);
            chunk(out, "iTXt", data.toByteArray());
        }
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static IIOMetadataNode app1(byte[] header, byte[] payload) {
        IIOMetadataNode node = new IIOMetadataNode("unknown");
        node.setAttribute("MarkerTag", String.valueOf(APP1));
        byte[] data = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, data, header.length, payload.length);
        node.setUserObject(data);
        return node;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhotoMetadata m && Arrays.equals(exif, m.exif) && Arrays.equals(xmp, m.xmp) && Arrays.equals(icc, m.icc);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(exif) * 31 * 31 + Arrays.hashCode(xmp) * 31 + Arrays.hashCode(icc); }
}
