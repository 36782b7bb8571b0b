package dev.lucid.image;

/** A function over a batch of equally sized tiles, the unit of work the {@link Tiler} feeds. */
public interface TileModel {

    /**
     * @param batch  samples in NCHW order, values as in {@link Image} planes
     * @param n      number of tiles
     * @param c      channels per tile ({@link #channels()})
     * @param height tile height, a multiple of {@link #sizeMultiple()}
     * @param width  tile width, a multiple of {@link #sizeMultiple()}
     * @return the output tiles, same shape and order
     */
    float[] apply(float[] batch, int n, int c, int height, int width);

    /** Planes per tile the model takes and returns: 3 for sRGB models, 4 for packed raw, any other count. */
    default int channels() { return 3; }

    /** Tile sides must be a multiple of this (e.g. 2^levels for a UNet); the tiler pads by reflection. */
    default int sizeMultiple() { return 1; }

    /** The largest tile side the model runs well on; the tiler uses no larger tiles (and overlaps up to a quarter). */
    default int maxTile() { return Integer.MAX_VALUE; }
}
