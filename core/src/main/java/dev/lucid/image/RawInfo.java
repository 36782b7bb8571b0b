package dev.lucid.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a packed raw image (4 planes R, G1, G2, B at half resolution, G1 in red's row, values normalised to [0, 1] between black
 * and white level) needs to be unpacked, written back as a mosaic or rendered: the CFA pattern of the sensor
 * (e.g. "RGGB"), the black and white levels of the original samples, the as-shot white-balance gains (R, G, B)
 * and the 3×3 camera-to-XYZ colour matrix (row-major), as a DNG holds them.
 */
public record RawInfo(String cfaPattern, double blackLevel, double whiteLevel, double[] whiteBalance, double[] colourMatrix) {

    public RawInfo {
        Objects.requireNonNull(cfaPattern, "cfaPattern");
        if (!cfaPattern.matches("[RGB]{4}") || cfaPattern.chars().filter(ch -> ch == 'G').count() != 2) {
            throw new IllegalArgumentException("CFA pattern must be a 2x2 Bayer pattern such as RGGB, got \"" + cfaPattern + "\"");
        }
        if (!(whiteLevel > blackLevel)) throw new IllegalArgumentException("white level " + whiteLevel + " must exceed black level " + blackLevel);
        if (whiteBalance.length != 3) throw new IllegalArgumentException("white balance needs 3 gains, got " + whiteBalance.length);
        if (colourMatrix.length != 9) throw new IllegalArgumentException("colour matrix needs 9 values, got " + colourMatrix.length);
        whiteBalance = whiteBalance.clone();
        colourMatrix = colourMatrix.clone();
    }

    /**
     * The packed plane (0 R, 1 G1, 2 G2, 3 B) of the mosaic position (dy, dx) in a 2×2 cell: G1 is the green in red's
     * row, G2 the one in blue's, as {@link dev.lucid.degrade.CameraPipeline#pack} packs them.
     */
    public int planeAt(int dy, int dx) {
        char c = cfaPattern.charAt(2 * dy + dx);
        return c == 'R' ? 0 : c == 'B' ? 3 : dy == cfaPattern.indexOf('R') / 2 ? 1 : 2;
    }

    /** The colour (0 R, 1 G, 2 B) of the mosaic position (dy, dx) in a 2×2 cell. */
    public int colourAt(int dy, int dx) { return "RGB".indexOf(cfaPattern.charAt(2 * dy + dx)); }

    @Override public double[] whiteBalance() { return whiteBalance.clone(); }

    @Override public double[] colourMatrix() { return colourMatrix.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawInfo r && cfaPattern.equals(r.cfaPattern) && blackLevel == r.blackLevel && whiteLevel == r.whiteLevel
                && Arrays.equals(whiteBalance, r.whiteBalance) && Arrays.equals(colourMatrix, r.colourMatrix);
    }

    @Override
    public int hashCode() { return Objects.hash(cfaPattern, blackLevel, whiteLevel, Arrays.hashCode(whiteBalance), Arrays.hashCode(colourMatrix)); }
}
