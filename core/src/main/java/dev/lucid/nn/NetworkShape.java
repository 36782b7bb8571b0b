package dev.lucid.nn;

/** What the tiler and the model card need to know of a network: its planes, its size multiple and its cost. */
public interface NetworkShape {

    /** Planes of the images it takes and returns (3 for sRGB, 4 for packed raw). */
    int channels();

    /** Tile sides must be a multiple of this (2^levels for a UNet). */
    int sizeMultiple();

    /** Convolution multiply-accumulates per pixel of one evaluation (FLOPs ≈ 2×). */
    long macsPerPixel();

    /** The largest tile side it runs well on (see {@link dev.lucid.image.TileModel#maxTile}); none by default. */
    default int maxTile() { return Integer.MAX_VALUE; }

    static NetworkShape of(int channels, int sizeMultiple, long macsPerPixel) {
        return new NetworkShape() {
            @Override public int channels() { return channels; }
            @Override public int sizeMultiple() { return sizeMultiple; }
            @Override public long macsPerPixel() { return macsPerPixel; }
        };
    }
}
