package dev.lucid.degrade;

import java.util.Locale;

/**
 * Parses the degradation recipes users type and configs hold: {@code gaussian:25}, {@code gaussian:0-55},
 * {@code gaussian:25,clip}, {@code poisson:2-3.5} (pure shot noise, peak 10^α), {@code poisson-gaussian:A,B} (ranges {@code A1-A2,B1-B2} allowed), {@code camera}
 * (random CBDNet levels), {@code camera:SHOT,READ} or {@code camera:S1-S2,R1-R2}, {@code raw-lowlight}, {@code raw-lowlight:SHOT} (read on the paper's relation) or {@code raw-lowlight:SHOT,READ} (ranges allowed), {@code raw-camera:FILE.yaml} (a {@link SimulatedCamera}), {@code transfer:REF} (NoiseTransfer, a {@link RecipeProvider}), {@code correlated:40-55}, {@code salt-pepper:0.05},
 * {@code rain:DENSITY} or {@code rain:DENSITY,WIDTH,LENGTH,OPACITY} (streaks' width and length in pixels, the layer's opacity), {@code haze:BETA} (ranges allowed), {@code none} (the clean image, for multi-task training), {@code mask:FRACTION,BLOCK} (masked-image modelling), and what a phone's
 * processing adds after the noise: {@code chroma:SIGMA} (coarse colour blotches), {@code sharpen:AMOUNT} and
 * {@code jpeg:QUALITY} (ranges allowed). Recipes joined by {@code +} are applied in order:
 * {@code camera+chroma:2-8+sharpen:0-1+jpeg:75-95}.
 */
public final class Degradations {

    private Degradations() {}

    public static Degradation parse(String spec) {
        if (spec.contains("+")) {
            java.util.List<Degradation> steps = new java.util.ArrayList<>();
            for (String part : spec.split("\\+", -1)) {
                if (part.isBlank()) throw new IllegalArgumentException("bad noise recipe '" + spec + "': an empty step between '+' signs");
                steps.add(parse(part));
            }
            return new ChainedDegradation(steps);
        }
        if (spec.trim().startsWith(SimulatedCamera.RECIPE)) {          // a file path: its case is kept
            try {
                return SimulatedCamera.read(java.nio.file.Path.of(spec.trim().substring(SimulatedCamera.RECIPE.length())));
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("bad noise recipe '" + spec + "': " + e.getMessage(), e);
            }
        }
        int colonAt = spec.indexOf(':');
        if (colonAt > 0) {                                             // recipes of other packages (their paths keep their case)
            String kindName = spec.trim().substring(0, spec.trim().indexOf(':')).toLowerCase(Locale.ROOT);
            for (RecipeProvider provider : java.util.ServiceLoader.load(RecipeProvider.class, Degradations.class.getClassLoader())) {
                if (!provider.kind().equals(kindName)) continue;
                try {
                    return provider.parse(spec.trim().substring(kindName.length() + 1));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("bad noise recipe '" + spec + "': " + e.getMessage(), e);
                }
            }
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String args = colon < 0 ? "" : s.substring(colon + 1);
        try {
            switch (kind) {
                case "gaussian": {
                    String[] parts = args.split(",");
                    double[] r = range(parts[0]);
                    boolean clip = parts.length > 1 && parts[1].equals("clip");
                    return new GaussianNoise(r[0], r[1], clip);
                }
                case "poisson-gaussian": {
                    String[] parts = args.split(",");
                    if (parts.length != 2) throw new IllegalArgumentException("needs two values a,b");
                    double[] a = range(parts[0]), b = range(parts[1]);
                    return new PoissonGaussianNoise(a[0], a[1], b[0], b[1]);
                }
                case "poisson": {
                    double[] r = range(args);
                    return new PoissonNoise(r[0], r[1]);
                }
                case "camera": {
                    String[] v = optionalPair(args, "camera takes shot,read levels or ranges (e.g. camera:0.04,0.03 or camera:0.02-0.16,0.01-0.06) or nothing");
                    if (v == null) return CameraNoise.CBDNET;
                    double[] shot = range(v[0]), read = range(v[1]);
                    return new CameraNoise(shot[0], shot[1], read[0], read[1]);
                }
                case "raw-lowlight": {
                    if (args.isEmpty()) return RawLowLightNoise.paper();
                    String[] v = args.split(",");
                    if (v.length > 2) throw new IllegalArgumentException("raw-lowlight takes SHOT, SHOT,READ (variance coefficients; ranges LO-HI allowed) or nothing");
                    double[] shot = range(v[0]), read = v.length == 2 ? range(v[1]) : null;
                    return RawLowLightNoise.of(shot[0], shot[1], read == null ? null : read[0], read == null ? null : read[1]);
                }
                case "correlated": {
                    double[] r = range(args);
                    return new CorrelatedNoise(r[0], r[1]);
                }
                case "salt-pepper":
                    return new SaltPepperNoise(Double.parseDouble(args));
                case "none":
                    if (!args.isEmpty()) throw new IllegalArgumentException("none takes no arguments");
                    return new NoDegradation();
                case "rain": {
                    String[] v = (args.isEmpty() ? "0.01" : args).split(",");
                    if (v.length > 4) throw new IllegalArgumentException("rain takes DENSITY[,WIDTH[,LENGTH[,OPACITY]]] (width and length in pixels; ranges LO-HI allowed)");
                    LevelRange[] r = new LevelRange[4];
                    String[] what = {"rain density", "rain streak width", "rain streak length", "rain opacity"};
                    for (int i = 0; i < v.length; i++) {
                        double[] lohi = range(v[i]);
                        r[i] = new LevelRange(what[i], lohi[0], lohi[1]);
                    }
                    return new RainStreaks(r[0], r[1], r[2], r[3]);
                }
                case "haze": {
                    double[] r = range(args.isEmpty() ? "1.0" : args);
                    return new Haze(r[0], r[1]);
                }
                case "chroma": {
                    double[] r = range(args);
                    return new ChromaNoise(r[0], r[1]);
                }
                case "sharpen": {
                    double[] r = range(args);
                    return new Sharpening(r[0], r[1]);
                }
                case "jpeg": {
                    double[] r = range(args);
                    if (r[0] != Math.rint(r[0]) || r[1] != Math.rint(r[1])) throw new IllegalArgumentException("JPEG quality is a whole number");
                    return new JpegCompression((int) r[0], (int) r[1]);
                }
                case "mask": {
                    String[] v = optionalPair(args, "mask takes fraction,block (e.g. mask:0.5,16) or nothing");
                    return v == null ? new BlockMask(0.5, 16) : new BlockMask(Double.parseDouble(v[0]), Integer.parseInt(v[1]));
                }
                default:
                    throw new IllegalArgumentException("unknown noise '" + kind + "'");
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad noise recipe '" + spec + "': " + e.getMessage()
                    + " (examples: gaussian:25, gaussian:0-55, poisson:2.5, poisson-gaussian:0.01,0.02, camera, camera:0.04,0.03, raw-lowlight, correlated:40-55, salt-pepper:0.05, rain:0.01, rain:0.002-0.03,1-4,10-60,0.2-0.9, haze:1.0, mask:0.5,16, chroma:2-8, sharpen:0.5, jpeg:75-95, camera+jpeg:80)", e);
        }
    }

    /** The two comma-separated values of a recipe such as {@code camera:SHOT,READ}, or null when none are given. */
    private static String[] optionalPair(String args, String usage) {
        if (args.isEmpty()) return null;
        String[] parts = args.split(",");
        if (parts.length != 2) throw new IllegalArgumentException(usage);
        return parts;
    }

    /** A level or range as {@link #range} reads it: {@code 0.02} or {@code 0.02-0.16}. */
    static String rangeText(double lo, double hi) {
        return lo == hi ? String.valueOf(lo) : lo + "-" + hi;
    }

    private static double[] range(String s) {
        int dash = s.indexOf('-', 1);
        if (dash < 0) {
            double v = Double.parseDouble(s);
            return new double[] {v, v};
        }
        return new double[] {Double.parseDouble(s.substring(0, dash)), Double.parseDouble(s.substring(dash + 1))};
    }
}
