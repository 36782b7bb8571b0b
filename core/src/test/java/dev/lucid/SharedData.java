package dev.lucid;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared (beside the checkout) for tests that read data, fixtures or peer weights. */
public final class SharedData {

    private SharedData() {}

    /** A path under shared/, failing with a clear message when shared/ is not beside the checkout. */
    public static Path path(String relative) {
        for (String root : new String[] {"../shared", "../../shared", "../../../shared"}) {
            Path p = Path.of(root).resolve(relative);
            if (Files.exists(p)) return p.normalize();
        }
        throw new IllegalStateException("test data missing: expected shared/" + relative
                + " beside the repository checkout (../shared); see README, section Data");
    }
}
