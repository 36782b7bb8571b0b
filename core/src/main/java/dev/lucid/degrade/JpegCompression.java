package dev.lucid.degrade;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG compression at a quality drawn uniformly from [qMin, qMax] per image ({@code jpeg:80}, {@code jpeg:70-95}):
 * the samples are clipped and rounded to 8 bits, encoded with the JDK's baseline JPEG writer (YCbCr, 4:2:0 chroma
 * subsampling, as cameras and phones store photos) and decoded again. Gray images are encoded as gray JPEGs.
 */
public final class JpegCompression implements Degradation {

    private final int qMin, qMax;

    public JpegCompression(int qMin, int qMax) {
        if (qMin < 1 || qMax > 100 || qMax < qMin) throw new IllegalArgumentException("JPEG quality must be within 1..100, got " + qMin + "-" + qMax);
        this.qMin = qMin;
        this.qMax = qMax;
    }

    @Override
    public void apply(float[] chw, int channels, int height, int width, SplittableRandom rng) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("JPEG compression needs a gray or RGB image, got " + channels + " planes");
        int quality = qMin + rng.nextInt(qMax - qMin + 1);
        int n = height * width;
        BufferedImage img = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) data[i * channels + (channels == 1 ? 0 : 2 - c)] = (byte) Math.round(Math.min(1f, Math.max(0f, chw[c * n + i])) * 255);
        }
        BufferedImage decoded = decode(encode(img, quality));
        byte[] out = ((DataBufferByte) decoded.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) chw[c * n + i] = (out[i * channels + (channels == 1 ? 0 : 2 - c)] & 0xff) / 255f;
        }
    }

    private static byte[] encode(BufferedImage img, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static BufferedImage decode(byte[] jpeg) {
        try {
            BufferedImage read = ImageIO.read(new ByteArrayInputStream(jpeg));
            BufferedImage same = new BufferedImage(read.getWidth(), read.getHeight(),
                    read.getRaster().getNumBands() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
            same.getGraphics().drawImage(read, 0, 0, null);
            return same;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String describe() { return "jpeg:" + (qMin == qMax ? String.valueOf(qMin) : qMin + "-" + qMax); }
}
