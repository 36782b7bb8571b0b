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

/**
 * An EXIF block (a little TIFF file: IFD0 with the camera tags, pointers to the EXIF and GPS sub-IFDs) as TIFF
 * fields, for TIFF outputs: the JDK's TIFF reader parses it, sub-IFDs included, and its writer lays the fields out
 * again in the output's own IFD0.
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
