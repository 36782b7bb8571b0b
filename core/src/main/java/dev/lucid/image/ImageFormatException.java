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
    }
}
