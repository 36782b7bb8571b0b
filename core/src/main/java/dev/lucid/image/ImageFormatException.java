package dev.lucid.image;

import java.io.IOException;

/** An input Lucid cannot read or an output it cannot write; the message is one line meant for the user. */
public class ImageFormatException extends IOException {
    public ImageFormatException(String message) { super(message); }
    public ImageFormatException(String message, Throwable cause) { super(message, cause); }

    /** The bytes are no image format Lucid reads. */
    public static final class NotAnImage extends ImageFormatException {
        public NotAnImage(String message) { super(message); }
    }

    /** The header declares more pixels than the limit allows. */
    public static final class TooLarge extends ImageFormatException {
        public TooLarge(String message) { super(message); }

        /** Fails when a w×h image (a header's or a raw mosaic's) is above the limit, naming {@code name}. */
        static void check(String name, long w, long h, long maxPixels) throws TooLarge {
            if (w * h > maxPixels) {
                throw new TooLarge(name + ": " + w + "x" + h + " is " + (w * h / 1_000_000) + " megapixels, above the limit of "
                        + (maxPixels / 1_000_000) + " MP (raise it with --max-pixels)");
            }
        }
    }
}
