package dev.lucid;

import java.nio.file.Path;

/** Lucid's own folder for the user's adapters and cached native libraries: {@code $LUCID_HOME}, else {@code ~/.lucid}. */
public final class LucidHome {

    private LucidHome() {}

    /** The folder {@code name} inside Lucid's home (not created here). */
    public static Path resolve(String name) {
        String lucidHome = System.getenv("LUCID_HOME");
        return (lucidHome != null && !lucidHome.isBlank() ? Path.of(lucidHome) : Path.of(System.getProperty("user.home"), ".lucid")).resolve(name);
    }
}
