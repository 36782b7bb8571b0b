package dev.lucid.image;

import java.io.IOException;

/** An input Lucid cannot read or an output it cannot write; the message is one line meant for the user. */
public class ImageFormatException extends IOException {
    public ImageFormatException(String message) { super(message); }
    public ImageFormatException(String message, Throwable cause) { super(message, cause); }
}
