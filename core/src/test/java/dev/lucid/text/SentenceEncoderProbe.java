package dev.lucid.text;

/** Run in a child JVM by {@link OnnxRuntimeLibrariesTest}: encodes one caption and exits normally. */
public final class SentenceEncoderProbe {

    private SentenceEncoderProbe() {}

    public static void main(String[] args) {
        try (TextEncoder encoder = new SentenceEncoder()) {
            System.out.println("dimension " + encoder.embed("a dog on a sofa at night").length);
        }
    }
}
