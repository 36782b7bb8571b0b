package dev.lucid.image;

import dev.lucid.JavaHeap;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reads PNG, JPEG, TIFF and BMP (8 and 16 bit; gray, RGB, RGBA, palette) into an {@link Image}, and writes
 * PNG/TIFF (8 or 16 bit) and JPEG. Every failure is an {@link ImageFormatException} with a one-line message.
 */
public final class ImageFiles {

    /** Default refusal limit for decoded size, checked against the header before any pixel is allocated. */
    public static final long DEFAULT_MAX_PIXELS = 300_000_000L;

    private ImageFiles() {}

    static {
        ImageIO.setUseCache(false); // decode in memory; never leave cache files in the temp directory
        ImageIO.scanForPlugins();
    }

    public static Image read(Path path) throws ImageFormatException {
        return read(path, DEFAULT_MAX_PIXELS);
    }

    public static Image read(Path path, long maxPixels) throws ImageFormatException {
        return read(path, path.toString(), maxPixels);
    }

    /** As {@link #read(Path, long)}, with messages naming {@code name} (e.g. an upload's own file name) instead of the path. */
    public static Image read(Path path, String name, long maxPixels) throws ImageFormatException {
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new ImageFormatException("cannot read " + name + ": no such file", e);
        } catch (IOException e) {
            throw new ImageFormatException("cannot read " + name + ": " + e.getMessage(), e);
        }
        if (Files.isDirectory(path)) throw new ImageFormatException("cannot read " + name + ": it is a directory");
        if (size == 0) throw new ImageFormatException("cannot read " + name + ": the file is empty (0 bytes)");
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            try {
                return Npy.readMosaic(path, name, maxPixels);                  // a raw mosaic saved from NumPy
            } catch (ImageFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new ImageFormatException("cannot read " + name + ": " + e.getMessage(), e);
            }
        }
        try (InputStream in = Files.newInputStream(path)) {
            return decode(in, name, maxPixels, () -> lacksEndMarker(path));
        } catch (AccessDeniedException e) {
            throw new ImageFormatException("cannot read " + name + ": permission denied", e);
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageFormatException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an image from a stream (an upload, an object in a distributed file system) with the same checks as a
     * file: the pixel limit from the header before any pixel is decoded, truncation, unsupported layouts.
     * {@code name} only labels messages; the stream is read, not closed.
     */
    public static Image read(InputStream in, String name, long maxPixels) throws ImageFormatException {
        return decode(in, name, maxPixels, () -> false);
    }

    /** What an image file's header declares: its format (png, jpeg, tiff, bmp) and size. */
    public record Header(String format, int width, int height) {}

    /**
     * Reads only the header: the format and size, with the pixel limit checked, without decoding a pixel (for a
     * server that must refuse an upload before queueing it).
     */
    public static Header probe(Path path, long maxPixels) throws ImageFormatException {
        return probe(path, path.toString(), maxPixels);
    }

    /** As {@link #probe(Path, long)}, with messages naming {@code name} instead of the path. */
    public static Header probe(Path path, String name, long maxPixels) throws ImageFormatException {
        try (InputStream in = Files.newInputStream(path); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis != null && CameraRaw.readable(CameraRaw.detect(iis))) {       // a raw mosaic: its size is the mosaic's
                Image packed = Dng.read(readAll(iis), name, maxPixels);
                return new Header("dng", 2 * packed.width(), 2 * packed.height());
            }
            ImageReader reader = reader(iis, name);
            try {
                return header(reader, name, maxPixels);
            } finally {
                reader.dispose();
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (causedBy(e, OutOfMemoryError.class)) throw tooLargeForHeap(name, e);
            throw new ImageFormatException(name + " could not be decoded: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** The rest of a stream, for the raw reader, which needs random access to the whole file. */
    private static byte[] readAll(ImageInputStream iis) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = iis.read(buffer)) > 0; ) bytes.write(buffer, 0, n);
        return bytes.toByteArray();
    }

    private static ImageReader reader(ImageInputStream iis, String path) throws IOException {
        if (iis == null) throw new ImageFormatException("cannot read " + path);
        String raw = CameraRaw.detect(iis);
        if (raw != null) throw new ImageFormatException.NotAnImage(CameraRaw.refusal(path, raw));
        // a raw extension over TIFF-like content is a raw whose first image is a preview: never the photo
        if (CameraRaw.hasRawExtension(path)) throw new ImageFormatException.NotAnImage(CameraRaw.refusal(path, "camera raw (" + path.substring(path.lastIndexOf('.') + 1) + ")"));
        String jpegProblem = JpegFrame.problem(iis);
        if (jpegProblem != null) throw new ImageFormatException(path + " is " + jpegProblem);
        Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
        if (!readers.hasNext()) throw new ImageFormatException.NotAnImage(path + " is not an image Lucid can read (PNG, JPEG, TIFF, BMP)");
        ImageReader reader = readers.next();
        reader.setInput(iis, true, false);
        return reader;
    }

    private static Header header(ImageReader reader, String path, long maxPixels) throws IOException {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        long w = reader.getWidth(0), h = reader.getHeight(0);
        if (w < 1 || h < 1) throw new ImageFormatException(path + ": the header declares an empty image (" + w + "x" + h + ")");
        ImageFormatException.TooLarge.check(path, w, h, maxPixels);
        return new Header(displayFormat(format), (int) w, (int) h);
    }

    /** @param lacksEndMarker whether the source lacks its format's end marker, asked only when decoding failed */
    private static Image decode(InputStream in, String path, long maxPixels, java.util.function.BooleanSupplier lacksEndMarker) throws ImageFormatException {
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            String raw = iis == null ? null : CameraRaw.detect(iis);
            if (CameraRaw.readable(raw)) return Dng.read(readAll(iis), path, maxPixels);
            ImageReader reader = reader(iis, path);
            try {
                String format = header(reader, path, maxPixels).format();
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((IIOReadWarningListener) (src, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                for (String warning : warnings) {
                    String lower = warning.toLowerCase(Locale.ROOT);
                    if (lower.contains("premature") || lower.contains("truncat") || lower.contains("end of")) {
                        throw new ImageFormatException(path + " is truncated (" + warning.trim() + ")");
                    }
                }
                boolean jpeg = format.contains("jpeg") || format.contains("jpg");
                IIOMetadata markers = jpeg ? reader.getImageMetadata(0) : null;
                int orientation = jpeg ? ExifOrientation.read(markers) : 1;
                // PNG and TIFF pixels are not turned by an EXIF orientation, so the tag stays as it is
                PhotoMetadata photo = jpeg ? PhotoMetadata.fromJpeg(markers) : format.equals("png") ? PhotoMetadata.fromPng(reader.getImageMetadata(0))
                        : format.equals("tiff") ? PhotoMetadata.fromTiff(reader.getImageMetadata(0)) : null;
                Image image;
                try {
                    image = fromBufferedImage(img, displayFormat(format), path);
                } catch (UnsupportedImageException e) {
                    throw new ImageFormatException(e.getMessage(), e);
                }
                image = ExifOrientation.apply(image, orientation);
                return photo == null ? image : image.withMetadata(jpeg ? photo.upright() : photo);
            } finally {
                reader.dispose();
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (OutOfMemoryError e) {        // past the reader (turning its pixels into planes): ImageIO did not wrap it
            throw tooLargeForHeap(path, e);
        } catch (EOFException e) {
            throw new ImageFormatException(path + " is truncated (unexpected end of file)", e);
        } catch (IOException | RuntimeException e) {
            if (causedBy(e, OutOfMemoryError.class)) throw tooLargeForHeap(path.toString(), e);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (causedBy(e, EOFException.class) || lacksEndMarker.getAsBoolean()) {
                throw new ImageFormatException(path + " is truncated (" + why + ")", e);
            }
            throw new ImageFormatException(path + " could not be decoded: " + why, e);
        }
    }

    /** True for a PNG without its IEND chunk or a JPEG without an end-of-image marker near its end. */
    private static boolean lacksEndMarker(Path path) {
        try {
            byte[] head = new byte[8];
            long size = Files.size(path);
            try (var f = new java.io.RandomAccessFile(path.toFile(), "r")) {
                f.readFully(head, 0, (int) Math.min(8, size));
                int tailLength = (int) Math.min(1024, size);
                byte[] tail = new byte[tailLength];
                f.seek(size - tailLength);
                f.readFully(tail);
                if ((head[0] & 0xff) == 0x89 && head[1] == 'P') {
                    return tailLength < 12 || !new String(tail, tailLength - 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("IEND");
                }
                if ((head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8) {
                    for (int i = tailLength - 2; i >= 0; i--) {
                        if ((tail[i] & 0xff) == 0xFF && (tail[i + 1] & 0xff) == 0xD9) return false;
                    }
                    return true;
                }
            }
        } catch (IOException ignored) {
            return false; // the original decoding error is reported instead
        }
        return false;
    }

    /**
     * A decoding that ran out of heap: the file is not at fault, so it is refused as an image too large for the heap,
     * in one line, and a batch goes on with the next file (the failed allocation is free again). The core cannot know its
     * front end, so the line names the heap setting of both launchers.
     */
    private static ImageFormatException tooLargeForHeap(String name, Throwable e) {
        return new ImageFormatException(name + " is too large to decode in this Java heap (at most " + JavaHeap.maxMegabytes()
                + " MB): give Java a larger heap (-Xmx; LUCID_JAVA_OPTS=-Xmx8g for lucid, spark.executor.memory on Spark)", e);
    }

    /**
     * True when {@code e} or a cause of it is a {@code type}: ImageIO's readers wrap what stopped them (an end of file,
     * an OutOfMemoryError) in an IIOException ("Caught exception during read").
     */
    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    private static String displayFormat(String readerFormat) {
        if (readerFormat.contains("jpeg") || readerFormat.contains("jpg")) return "jpeg";
        if (readerFormat.contains("tif")) return "tiff";
        return readerFormat;
    }

    /** Converts a decoded image; 8- and 16-bit component images are copied sample-exact. */
    static Image fromBufferedImage(BufferedImage img, String format, String path) {
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        int w = img.getWidth(), h = img.getHeight();
        int n = w * h;
        if (cm instanceof ComponentColorModel) {
            int transfer = raster.getTransferType();
            int bits = cm.getComponentSize(0);
            for (int s : cm.getComponentSize()) {
                if (s != bits) throw new UnsupportedImageException(path + ": mixed sample sizes are not supported");
            }
            boolean byteOrShort = transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT;
            if (!byteOrShort || (bits != 8 && bits != 16)) {
                String what = transfer == DataBuffer.TYPE_FLOAT || transfer == DataBuffer.TYPE_DOUBLE ? "floating-point" : bits + "-bit";
                throw new UnsupportedImageException(path + ": " + what + " samples are not supported (Lucid reads 8- and 16-bit images)");
            }
            int colour = cm.getNumColorComponents();
            int csType = cm.getColorSpace().getType();
            if (!(colour == 1 && csType == ColorSpace.TYPE_GRAY) && !(colour == 3 && csType == ColorSpace.TYPE_RGB)) {
                return fromRgb(img, format); // e.g. CMYK or YCC: let Java2D convert to 8-bit sRGB
            }
            float max = (1 << bits) - 1; // divide (not multiply by 1/max) so v/max is exact to the last bit
            float[][] planes = new float[colour][n];
            int[] row = new int[w];
            for (int c = 0; c < colour; c++) {
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, c, row);
                    for (int x = 0; x < w; x++) planes[c][y * w + x] = row[x] / max;
                }
            }
            float[] alpha = null;
            if (cm.hasAlpha()) {
                alpha = new float[n];
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, colour, row);
                    for (int x = 0; x < w; x++) alpha[y * w + x] = row[x] / max;
                }
            }
            return new Image(w, h, planes, alpha, bits, Image.Encoding.SRGB, format);
        }
        if (cm instanceof IndexColorModel && isGrayPalette((IndexColorModel) cm)) {
            float[][] planes = {new float[n]};
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < n; i++) planes[0][i] = (argb[i] & 0xff) / 255f;
            return new Image(w, h, planes, null, 8, Image.Encoding.SRGB, format);
        }
        return fromRgb(img, format);
    }

    private static boolean isGrayPalette(IndexColorModel icm) {
        if (icm.hasAlpha()) return false;
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) return false;
        }
        return true;
    }

    /** A decoded image whose sample layout Lucid does not handle. */
    static final class UnsupportedImageException extends IllegalArgumentException {
        UnsupportedImageException(String message) { super(message); }
    }

    /** Palette, packed (BMP) and other colour models: 8-bit sRGB through Java2D, alpha kept if present. */
    private static Image fromRgb(BufferedImage img, String format) {
        int w = img.getWidth(), h = img.getHeight(), n = w * h;
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[][] planes = new float[3][n];
        boolean hasAlpha = img.getColorModel().hasAlpha();
        float[] alpha = hasAlpha ? new float[n] : null;
        for (int i = 0; i < n; i++) {
            int p = argb[i];
            planes[0][i] = ((p >> 16) & 0xff) / 255f;
            planes[1][i] = ((p >> 8) & 0xff) / 255f;
            planes[2][i] = (p & 0xff) / 255f;
            if (hasAlpha) alpha[i] = ((p >>> 24) & 0xff) / 255f;
        }
        return new Image(w, h, planes, alpha, 8, Image.Encoding.SRGB, format);
    }

    /** The image files (png, jpg/jpeg, tif/tiff, bmp, raw dng and npy) directly inside a folder, in name order; fails if there are none. */
    public static List<Path> listImages(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("folder " + dir.toAbsolutePath().normalize() + " does not exist");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            List<Path> images = files.filter(f -> Files.isRegularFile(f)
                    && f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|tiff?|bmp|dng|npy)")).sorted().toList();
            if (images.isEmpty()) throw new IOException("folder " + dir + " holds no images (png, jpg, tif, bmp, or raw dng, npy)");
            return images;
        }
    }

    /** Output formats, chosen by file extension. */
    public enum Format {
        PNG("png", "image/png"), TIFF("tiff", "image/tiff"), JPEG("jpeg", "image/jpeg"),
        /** Raw: an uncompressed DNG mosaic of a packed raw image (see {@link Dng}). */
        DNG("dng", "image/x-adobe-dng");
        final String imageIoName;
        private final String mediaType;

        Format(String imageIoName, String mediaType) {
            this.imageIoName = imageIoName;
            this.mediaType = mediaType;
        }

        public String mediaType() { return mediaType; }

        /** The file extension, without the dot. */
        public String extension() { return this == JPEG ? "jpg" : imageIoName.equals("tiff") ? "tif" : imageIoName; }

        /** The output format family of an input: JPEG and TIFF stay so, everything else (PNG, BMP, a raw rendered) becomes PNG. */
        public static Format forSource(String sourceFormat) {
            return sourceFormat.equals("jpeg") ? JPEG : sourceFormat.equals("tiff") ? TIFF : PNG;
        }

        /** By name as a request or option gives it: png, tif/tiff, jpg/jpeg. */
        public static Format named(String name) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "png": return PNG;
                case "tif": case "tiff": return TIFF;
                case "jpg": case "jpeg": return JPEG;
                case "dng": return DNG;
                default: throw new IllegalArgumentException("format must be png, tiff, jpeg or dng, got \"" + name + "\"");
            }
        }

        public static Format of(Path path) throws ImageFormatException {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".png")) return PNG;
            if (name.endsWith(".tif") || name.endsWith(".tiff")) return TIFF;
            if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return JPEG;
            if (name.endsWith(".dng")) return DNG;
            throw new ImageFormatException(path + ": unsupported output format (use .png, .tif/.tiff, .jpg/.jpeg, or .dng for raw)");
        }
    }

    /**
     * Writes to {@code target} through a temporary file in the same directory and an atomic rename, so an
     * interrupted run never leaves a half-written output. The image's bit depth is kept (JPEG is 8-bit).
     */
    public static void write(Image image, Path target, int jpegQuality) throws IOException {
        Format format = Format.of(target);
        AtomicFiles.write(target, tmp -> writeDirect(image, tmp, format, jpegQuality));
    }

    public static void write(Image image, Path target) throws IOException {
        write(image, target, 95);
    }

    /** Writes an image to a stream in the given format (the stream is flushed, not closed): for uploads and object stores. */
    public static void write(Image image, java.io.OutputStream out, Format format, int jpegQuality) throws IOException {
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            encode(image, ios, format, jpegQuality);
        }
        out.flush();
    }

    private static void writeDirect(Image image, Path file, Format format, int jpegQuality) throws IOException {
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(file.toFile())) {
            if (ios == null) throw new ImageFormatException("cannot open " + file + " for writing");
            encode(image, ios, format, jpegQuality);
        }
    }

    /**
     * A packed raw image (4 planes with {@link RawInfo}) is written as a DNG mosaic, or rendered to sRGB by its camera's
     * ISP ({@link dev.lucid.degrade.CameraPipeline#render}) for the other formats; a DNG needs a raw image.
     */
    private static void encode(Image image, ImageOutputStream ios, Format format, int jpegQuality) throws IOException {
        boolean raw = image.raw() != null && image.channels() == 4;
        if (format == Format.DNG) {
            if (!raw) throw new ImageFormatException("a DNG output holds a raw image: this one is " + image.channels() + "-channel " + image.encoding().name().toLowerCase(Locale.ROOT) + " (write .png or .tif)");
            ios.write(Dng.encode(image));
            return;
        }
        if (raw) image = dev.lucid.degrade.CameraPipeline.render(image);
        if (format == Format.PNG && image.metadata() != null) {
            // the JDK's PNG writer has no eXIf: write to memory, then put the metadata chunks right after IHDR
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            try (ImageOutputStream memory = new javax.imageio.stream.MemoryCacheImageOutputStream(png)) {
                encodeImage(image.withMetadata(null), memory, format, jpegQuality);
            }
            byte[] bytes = png.toByteArray();
            int afterHeader = 8 + 4 + 4 + 13 + 4;   // signature, then IHDR: length, type, 13 bytes, CRC
            ios.write(bytes, 0, afterHeader);
            ios.write(image.metadata().pngChunks());
            ios.write(bytes, afterHeader, bytes.length - afterHeader);
            return;
        }
        encodeImage(image, ios, format, jpegQuality);
    }

    private static void encodeImage(Image image, ImageOutputStream ios, Format format, int jpegQuality) throws IOException {
        if (image.channels() != 1 && image.channels() != 3) {
            throw new ImageFormatException("cannot write a " + image.channels() + "-plane image (" + image + ") as " + format + ": only gray and RGB images are written as pictures");
        }
        boolean jpeg = format == Format.JPEG;
        int depth = jpeg ? 8 : image.bitDepth();
        BufferedImage buffered = toBufferedImage(image, depth, !jpeg && image.hasAlpha());
        ImageWriter writer = writerFor(format);
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (jpeg) {
            if (jpegQuality < 1 || jpegQuality > 100) throw new ImageFormatException("JPEG quality must be 1..100, got " + jpegQuality);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(jpegQuality / 100f);
        } else if (format == Format.TIFF) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("Deflate");
        }
        try {
            writer.setOutput(ios);
            IIOMetadata metadata = null;
            if (image.metadata() != null) {
                // the photo's EXIF, XMP and colour profile go along
                metadata = writer.getDefaultImageMetadata(javax.imageio.ImageTypeSpecifier.createFromRenderedImage(buffered), param);
                if (jpeg) image.metadata().addToJpeg(metadata);
                else metadata = image.metadata().addToTiff(metadata);
            }
            writer.write(null, new IIOImage(buffered, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /**
     * TIFF goes through the JDK's own writer: TwelveMonkeys' writer rejects 16-bit images with more than one
     * band (see shared/STACK.md). PNG and JPEG use the JDK writers too.
     */
    private static ImageWriter writerFor(Format format) throws ImageFormatException {
        ImageWriter fallback = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(format.imageIoName); it.hasNext(); ) {
            ImageWriter candidate = it.next();
            if (candidate.getClass().getName().startsWith("com.sun.imageio.")) return candidate;
            if (fallback == null) fallback = candidate;
        }
        if (fallback == null) throw new ImageFormatException("no " + format + " writer available in this Java runtime");
        return fallback;
    }

    /** Quantises to 8 or 16 bit with rounding and clipping. */
    public static BufferedImage toBufferedImage(Image image, int depth, boolean withAlpha) {
        int w = image.width(), h = image.height(), n = w * h;
        int colour = image.channels();
        int bands = colour + (withAlpha ? 1 : 0);
        int transfer = depth == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
        ColorSpace cs = ColorSpace.getInstance(colour == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int[] bits = new int[bands];
        java.util.Arrays.fill(bits, depth);
        ComponentColorModel cm = new ComponentColorModel(cs, bits, withAlpha, false,
                withAlpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transfer);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        int max = depth == 16 ? 65535 : 255;
        DataBuffer buffer = raster.getDataBuffer();
        // Pixel-interleaved buffer: sample (x, y, b) sits at (y * w + x) * bands + b.
        for (int b = 0; b < bands; b++) {
            float[] src = b < colour ? image.plane(b) : image.alpha();
            for (int i = 0; i < n; i++) {
                int v = Math.round(src[i] * max);
                v = v < 0 ? 0 : Math.min(v, max);
                if (buffer instanceof DataBufferUShort) ((DataBufferUShort) buffer).getData()[i * bands + b] = (short) v;
                else ((DataBufferByte) buffer).getData()[i * bands + b] = (byte) v;
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }
}
