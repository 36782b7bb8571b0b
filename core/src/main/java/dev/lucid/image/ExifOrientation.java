package dev.lucid.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The EXIF orientation tag (0x0112) of a JPEG, and the rotation/flip that displays the image upright. */
final class ExifOrientation {

    private static final int APP1 = 0xE1;
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {}

    /** Orientation 1..8 from the APP1 Exif segment of JPEG image metadata; 1 when absent or unreadable. */
    static int read(IIOMetadata metadata) {
        if (metadata == null) return 1;
        for (String name : metadata.getMetadataFormatNames()) {
            if (!name.startsWith("javax_imageio_jpeg_image")) continue;
            Node root = metadata.getAsTree(name);
            NodeList units = ((IIOMetadataNode) root).getElementsByTagName("unknown");
            for (int i = 0; i < units.getLength(); i++) {
                IIOMetadataNode unit = (IIOMetadataNode) units.item(i);
                if (!String.valueOf(APP1).equals(unit.getAttribute("MarkerTag"))) continue;
                Object data = unit.getUserObject();
                if (data instanceof byte[]) {
                    int o = fromApp1((byte[]) data);
                    if (o != 1) return o;
                }
            }
        }
        return 1;
    }

    /** Parses "Exif\0\0" + TIFF header + IFD0 and returns the orientation entry. */
    static int fromApp1(byte[] app1) {
        if (app1.length < 14 || !new String(app1, 0, 4, StandardCharsets.ISO_8859_1).equals("Exif")) return 1;
        int tiff = 6;
        ByteBuffer b = ByteBuffer.wrap(app1);
        char order = (char) app1[tiff];
        b.order(order == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        try {
            int ifd = tiff + b.getInt(tiff + 4);
            int entries = b.getShort(ifd) & 0xffff;
            for (int e = 0; e < entries; e++) {
                int entry = ifd + 2 + 12 * e;
                if ((b.getShort(entry) & 0xffff) == ORIENTATION_TAG) {
                    int value = b.getShort(entry + 8) & 0xffff;
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
        } catch (IndexOutOfBoundsException malformed) {
            return 1; // a broken Exif block must not stop the image from loading
        }
        return 1;
    }

    /**
     * Applies orientation 1..8 (TIFF/EXIF meaning) to every plane, including alpha: orientation o is {@link Dihedral}'s
     * symmetry o − 1 (2 mirror, 3 half turn, 4 upside down, 5 transpose, 6 a quarter turn clockwise, 7 transverse, 8 a
     * quarter turn anticlockwise).
     */
    static Image apply(Image image, int orientation) {
        return Dihedral.apply(image, orientation - 1);
    }
}
