package dev.lucid.image;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Set;
import javax.imageio.stream.ImageInputStream;

/**
 * Recognises camera raw files, so that a TIFF-based raw (DNG, CR2, NEF, ARW, …) is never processed through the small
 * preview image its first directory often holds: a DNGVersion tag, Canon's "CR" marker, or a first image flagged as
 * reduced-resolution (NewSubfileType bit 0) in a file that names its camera. Reading restores the stream position.
 */
final class CameraRaw {

    /** Extensions of camera raw formats (TIFF-based or not), for the message when nothing else reads them. */
    static final Set<String> EXTENSIONS = Set.of("dng", "cr2", "cr3", "nef", "nrw", "arw", "srf", "sr2", "orf", "rw2", "raf", "pef", "srw", "3fr", "iiq", "erf", "kdc", "mrw", "x3f");

    private static final int NEW_SUBFILE_TYPE = 254, PHOTOMETRIC = 262, MAKE = 271, DNG_VERSION = 50706, PHOTOMETRIC_CFA = 32803, SHORT = 3, LONG = 4;

    /** The raw formats {@link Dng#read} decodes. */
    static final String DNG = "DNG", CFA_TIFF = "CFA TIFF";

    private CameraRaw() {}

    /** The raw format's name ("DNG", "CFA TIFF", "Canon CR2", "camera raw") when {@code in} is one, else null. */
    static String detect(ImageInputStream in) throws IOException {
        ByteOrder original = in.getByteOrder();
        in.mark();
        try {
            byte[] head = new byte[10];
            if (in.read(head) < 10) return null;
            ByteOrder order = head[0] == 'I' && head[1] == 'I' ? ByteOrder.LITTLE_ENDIAN : head[0] == 'M' && head[1] == 'M' ? ByteOrder.BIG_ENDIAN : null;
            if (order == null) return null;
            in.setByteOrder(order);
            in.seek(in.getStreamPosition() - 8);
            if (in.readUnsignedShort() != 42) return null;
            long ifd = in.readUnsignedInt();
            if (head[8] == 'C' && head[9] == 'R') return "Canon CR2";
            in.seek(in.getStreamPosition() - 8 + ifd);
            int entries = in.readUnsignedShort();
            if (entries > 4096) return null;
            boolean reduced = false, camera = false, cfa = false;
            for (int i = 0; i < entries; i++) {
                int tag = in.readUnsignedShort(), type = in.readUnsignedShort();
                long count = in.readUnsignedInt(), value = in.readUnsignedInt();
                if (type == SHORT && count == 1 && order == ByteOrder.BIG_ENDIAN) value >>>= 16;
                else if (type == SHORT && count == 1) value &= 0xffff;
                if (tag == DNG_VERSION) return DNG;
                if (tag == PHOTOMETRIC && value == PHOTOMETRIC_CFA) cfa = true;
                if (tag == NEW_SUBFILE_TYPE && (type == LONG || type == SHORT) && (value & 1) == 1) reduced = true;
                if (tag == MAKE) camera = true;
            }
            return cfa ? CFA_TIFF : reduced && camera ? "camera raw" : null;
        } catch (java.io.EOFException e) {
            return null;
        } finally {
            in.reset();
            in.setByteOrder(original);
        }
    }

    /** Whether {@link Dng#read} decodes this raw format. */
    static boolean readable(String format) { return DNG.equals(format) || CFA_TIFF.equals(format); }

    /** The one line for a raw file Lucid does not decode. */
    static String refusal(String path, String format) {
        return path + " is a " + format + " file: Lucid reads raw as uncompressed DNG only, and its embedded preview is not the photo"
                + " (convert it with Adobe DNG Converter, uncompressed, or export a TIFF or PNG from a raw developer such as darktable)";
    }

    static boolean hasRawExtension(String path) {
        int dot = path.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
