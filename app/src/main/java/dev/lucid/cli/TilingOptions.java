package dev.lucid.cli;

import dev.lucid.image.Tiler;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** --tile and --overlap, shared by every command that runs a model over images. */
final class TilingOptions {

    @Option(names = "--tile", paramLabel = "PX", description = "Tile side in pixels (default: ${DEFAULT-VALUE}); memory grows with it.")
    int tile = 512;

    @Option(names = "--overlap", paramLabel = "PX", description = "Overlap between tiles (default: ${DEFAULT-VALUE}).")
    int overlap = 32;

    /** The settings, or a usage error naming the bad option. */
    Tiler.Settings settings(CommandLine cli) {
        try {
            return new Tiler.Settings(tile, overlap, 1);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }
}
