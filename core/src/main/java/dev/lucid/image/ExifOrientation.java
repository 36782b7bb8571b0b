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

    /** Applies orientation 1..8 (TIFF/EXIF meaning) to every plane, including alpha. */
    static Image apply(Image image, int orientation) {
        if (orientation == 1) return image;
        int w = image.width(), h = image.height();
        boolean transpose = orientation >= 5;
        int outW = transpose ? h : w, outH = transpose ? w : h;
        float[][] planes = new float[image.channels()][];
        for (int c = 0; c < planes.length; c++) planes[c] = remap(image.plane(c), w, h, orientation);
        float[] alpha = image.hasAlpha() ? remap(image.alpha(), w, h, orientation) : null;
        return new Image(outW, outH, planes, alpha, image.bitDepth(), image.encoding(), image.sourceFormat());
    }

    private static float[] remap(float[] src, int w, int h, int orientation) {
        boolean transpose = orientation >= 5;
        int outW = transpose ? h : w, outH = transpose ? w : h;
        float[] dst = new float[src.length];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx, sy;
                switch (orientation) {
                    case 2: sx = w - 1 - x; sy = y; break;                 // mirror horizontal
                    case 3: sx = w - 1 - x; sy = h - 1 - y; break;         // rotate 180
                    case 4: sx = x; sy = h - 1 - y; break;                 // mirror vertical
                    case 5: sx = y; sy = x; break;                         // transpose
                    case 6: sx = y; sy = h - 1 - x; break;                 // rotate 90 CW
                    case 7: sx = w - 1 - y; sy = h - 1 - x; break;         // transverse
                    case 8: sx = w - 1 - y; sy = x; break;                 // rotate 90 CCW
                    default: sx = x; sy = y;
                }
                dst[y * outW + x] = src[sy * w + sx];
            }
        }
        return dst;
    }
}
