package dev.lucid.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * OpenAI CLIP's byte-level BPE tokenizer ({@code clip/simple_tokenizer.py} and {@code clip.tokenize}):
 * text clean-up, lower-casing, regex pre-tokenisation, GPT-2 byte-to-unicode mapping, BPE with the 48 894
 * merges of {@code bpe_simple_vocab_16e6.txt.gz} (MIT, shipped in this jar), start/end tokens and a context
 * of 77 with truncation that keeps the end token.
 *
 * <p>The reference cleans text with ftfy first. This class implements the part of ftfy that changes CLIP
 * captions in practice: UTF-8 read as Latin-1 ("cafÃ©" → "café"), NFC normalisation, Latin ligatures,
 * full-width forms and the ideographic space, and curly quotes to ASCII. Other ftfy repairs (e.g.
 * Windows-1252 mojibake, control characters) are not done. HTML entities are unescaped twice, as in the
 * reference; numeric entities and the common named ones are supported.
 */
public final class ClipTokenizer {

    public static final int CONTEXT = 77;
    public static final int START = 49406;
    public static final int END = 49407;
    private static final int MERGES = 49152 - 256 - 2;

    private static final Pattern PRE_TOKENS = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern LATIN1_UTF8 = Pattern.compile("[\\u00C2-\\u00F4][\\u0080-\\u00BF]{1,3}");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);");
    private static final Map<String, String> NAMED_ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", "\u00A0"), Map.entry("ndash", "\u2013"), Map.entry("mdash", "\u2014"),
            Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"), Map.entry("ldquo", "\u201C"), Map.entry("rdquo", "\u201D"),
            Map.entry("hellip", "\u2026"), Map.entry("copy", "\u00A9"), Map.entry("reg", "\u00AE"), Map.entry("eacute", "\u00E9"));

    private final Map<String, Integer> encoder = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final String[] byteToUnicode = new String[256];
    private final Map<String, String[]> cache = new ConcurrentHashMap<>();

    /** The tokenizer with the vocabulary shipped in Lucid. */
    public static ClipTokenizer standard() {
        try (InputStream in = ClipTokenizer.class.getResourceAsStream("bpe_simple_vocab_16e6.txt.gz")) {
            if (in == null) throw new IllegalStateException("bpe_simple_vocab_16e6.txt.gz missing from the Lucid jar");
            return new ClipTokenizer(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CLIP vocabulary: " + e.getMessage(), e);
        }
    }

    /** Reads a gzipped merges file in the format of bpe_simple_vocab_16e6.txt.gz. */
    public ClipTokenizer(InputStream gzippedMerges) throws IOException {
        List<String> vocab = new ArrayList<>();
        int[] bytes = printableBytes();
        for (int b = 0, extra = 0; b < 256; b++) {
            boolean printable = Arrays.binarySearch(bytes, b) >= 0;
            byteToUnicode[b] = new String(Character.toChars(printable ? b : 256 + extra++));
        }
        // vocabulary order of the reference: printable bytes first, then the others, then the </w> forms, merges, specials
        List<String> base = new ArrayList<>();
        for (int b : bytes) base.add(byteToUnicode[b]);
        for (int b = 0; b < 256; b++) if (Arrays.binarySearch(bytes, b) < 0) base.add(byteToUnicode[b]);
        vocab.addAll(base);
        for (String s : base) vocab.add(s + "</w>");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzippedMerges), StandardCharsets.UTF_8))) {
            r.readLine(); // version header
            for (int i = 0; i < MERGES; i++) {
                String line = r.readLine();
                if (line == null) throw new IOException("merges file ends after " + i + " merges, expected " + MERGES);
                String[] pair = line.split(" ");
                ranks.put(pair[0] + " " + pair[1], i);
                vocab.add(pair[0] + pair[1]);
            }
        }
        vocab.add("<|startoftext|>");
        vocab.add("<|endoftext|>");
        for (int i = 0; i < vocab.size(); i++) encoder.put(vocab.get(i), i);
    }

    /** Bytes that map to themselves: '!'..'~', '¡'..'¬', '®'..'ÿ' (sorted). */
    private static int[] printableBytes() {
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) bs.add(b);
        for (int b = 0xA1; b <= 0xAC; b++) bs.add(b);
        for (int b = 0xAE; b <= 0xFF; b++) bs.add(b);
        return bs.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    public int vocabularySize() { return encoder.size(); }

    /** The clean-up of the reference: ftfy (subset, see class comment), HTML unescape twice, whitespace runs to one space, lower case. */
    public static String clean(String text) {
        String s = fixText(text);
        s = unescapeHtml(unescapeHtml(s)).strip();
        return WHITESPACE.matcher(s).replaceAll(" ").strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** BPE pieces of a text, e.g. ["a</w>", "photo</w>"]. */
    public List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PRE_TOKENS.matcher(clean(text));
        while (m.find()) {
            StringBuilder mapped = new StringBuilder();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) mapped.append(byteToUnicode[b & 0xff]);
            out.addAll(Arrays.asList(cache.computeIfAbsent(mapped.toString(), this::bpe)));
        }
        return out;
    }

    /** Token ids without start/end tokens. */
    public int[] encode(String text) {
        return pieces(text).stream().mapToInt(p -> {
            Integer id = encoder.get(p);
            if (id == null) throw new IllegalStateException("BPE produced a piece outside the vocabulary: " + p);
            return id;
        }).toArray();
    }

    /** {@code clip.tokenize(text, truncate=True)}: [START, ids..., END] cut to 77 with END kept last, zero-padded. */
    public long[] tokenize(String text) {
        int[] ids = encode(text);
        long[] out = new long[CONTEXT];
        out[0] = START;
        int n = Math.min(ids.length, CONTEXT - 2);
        for (int i = 0; i < n; i++) out[1 + i] = ids[i];
        out[1 + n] = END;
        return out;
    }

    private String[] bpe(String token) {
        List<String> word = new ArrayList<>();
        int[] cps = token.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            String c = new String(Character.toChars(cps[i]));
            word.add(i == cps.length - 1 ? c + "</w>" : c);
        }
        while (word.size() > 1) {
            int best = Integer.MAX_VALUE;
            String first = null, second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer rank = ranks.get(word.get(i) + " " + word.get(i + 1));
                if (rank != null && rank < best) {
                    best = rank;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) break;
            List<String> merged = new ArrayList<>();
            for (int i = 0; i < word.size(); ) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(word.get(i++));
                }
            }
            word = merged;
        }
        return word.toArray(new String[0]);
    }

    static String fixText(String text) {
        Matcher m = LATIN1_UTF8.matcher(text);
        StringBuilder repaired = new StringBuilder();
        while (m.find()) {
            byte[] raw = m.group().getBytes(StandardCharsets.ISO_8859_1);
            String decoded = strictUtf8(raw);
            m.appendReplacement(repaired, Matcher.quoteReplacement(decoded != null ? decoded : m.group()));
        }
        m.appendTail(repaired);
        StringBuilder out = new StringBuilder();
        Normalizer.normalize(repaired, Normalizer.Form.NFC).codePoints().forEach(cp -> {
            if (cp >= 0xFB00 && cp <= 0xFB06 || cp >= 0xFF01 && cp <= 0xFF5E || cp == 0x3000) {
                out.append(Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC));
            } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B) {
                out.append('\'');
            } else if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F) {
                out.append('"');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    static String unescapeHtml(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1), value;
            if (e.startsWith("#x") || e.startsWith("#X")) value = codePoint(Integer.parseInt(e.substring(2), 16));
            else if (e.startsWith("#")) value = codePoint(Integer.parseInt(e.substring(1)));
            else value = NAMED_ENTITIES.get(e);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String codePoint(int cp) {
        return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : "\uFFFD";
    }
}
