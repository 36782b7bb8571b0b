package dev.lucid.image;

import java.io.IOException;
import javax.imageio.stream.ImageInputStream;

/**
 * The start-of-frame of a JPEG, read before decoding, for the kinds Java's decoder gets silently wrong: it decodes
 * a four-component (CMYK or YCCK) frame as RGB with alpha, and an arithmetic-coded, lossless or hierarchical frame
 * as if it were Huffman-coded baseline. Those are refused with one line instead.
 */
final class JpegFrame {

    private JpegFrame() {}

    /** The problem with the JPEG in {@code in} (left where it was), or null when there is none or it is no JPEG. */
    static String problem(ImageInputStream in) throws IOException {
        in.mark();
        try {
            if (in.read() != 0xFF || in.read() != 0xD8) return null;
            for (int segments = 0; segments < 1024; segments++) {
                int ff = in.read(), marker = in.read();
                while (marker == 0xFF) marker = in.read();                 // fill bytes
                if (ff != 0xFF || marker < 0) return null;                 // damaged: the decoder will say so
                if (marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) continue;
                int length = in.readUnsignedShort();
                if (isFrame(marker)) {
                    if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2) {
                        return "a JPEG coded with " + coding(marker) + ", which Lucid does not decode (re-save it as a standard JPEG, PNG or TIFF)";
                    }
                    in.skipBytes(5);
                    int components = in.read();
                    return components == 4 ? "a CMYK or YCCK JPEG (four colour components); Lucid reads RGB and gray (convert it to RGB first)" : null;
                }
                if (length < 2) return null;
                in.skipBytes(length - 2);
            }
            return null;
        } catch (java.io.EOFException e) {
            return null;
        } finally {
            in.reset();
        }
    }

    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static String coding(int marker) {
        if (marker >= 0xC9) return "arithmetic coding";
        if (marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF) return "lossless coding";
        return "hierarchical coding";
    }
}
