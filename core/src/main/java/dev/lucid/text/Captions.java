package dev.lucid.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A caption file: UTF-8, tab-separated, header {@code file<TAB>caption}, one row per image, {@code file} the
 * image's path relative to its dataset folder ({@code 00.png}, {@code gt/00.png}). An image file matches the
 * row whose path its own path ends with.
 */
public final class Captions {

    private final Path source;
    private final Map<String, String> byPath;
    private final Map<String, List<String>> pathsByName = new HashMap<>();

    private Captions(Path source, Map<String, String> byPath) {
        this.source = source;
        this.byPath = Collections.unmodifiableMap(byPath);
        for (String path : byPath.keySet()) pathsByName.computeIfAbsent(Path.of(path).getFileName().toString(), k -> new ArrayList<>()).add(path);
    }

    /** @throws IOException with one line naming the file and the line when it is not such a table */
    public static Captions read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": caption file is not UTF-8 text", e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such caption file", e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals("file\tcaption")) {
            throw new IOException(file + ": a caption file starts with the header line file<TAB>caption");
        }
        Map<String, String> captions = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            int tab = line.indexOf('\t');
            if (tab <= 0 || line.indexOf('\t', tab + 1) >= 0) {
                throw new IOException(file + " line " + (i + 1) + ": expected file<TAB>caption");
            }
            if (captions.put(line.substring(0, tab), line.substring(tab + 1).strip()) != null) {
                throw new IOException(file + " line " + (i + 1) + ": " + line.substring(0, tab) + " has a second caption");
            }
        }
        return new Captions(file, captions);
    }

    public Path source() { return source; }

    public int size() { return byPath.size(); }

    /** The caption of an image file, or null: the row whose path the file's path ends with. */
    public String find(Path image) {
        for (String path : pathsByName.getOrDefault(image.getFileName().toString(), List.of())) {
            if (image.endsWith(path)) return byPath.get(path);
        }
        return null;
    }

    /** The caption of an image file; fails with one line when the table has none. */
    public String of(Path image) throws IOException {
        String caption = find(image);
        if (caption == null) throw new IOException(source + " has no caption for " + image.getFileName());
        return caption;
    }
}
