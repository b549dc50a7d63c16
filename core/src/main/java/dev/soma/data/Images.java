package dev.soma.data;

import dev.soma.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * One image file into pixels a network takes, with {@code javax.imageio} (PNG, JPEG, GIF, BMP):
 * decoded, its alpha dropped (as PIL's {@code convert("RGB")}), resized to H × W, converted to
 * grayscale (C = 1) or RGB (C = 3), laid out {@code [C, H, W]}. Grayscale is ITU-R 601-2 luma,
 * {@code L = 0.299 R + 0.587 G + 0.114 B}, rounded as PIL's {@code convert("L")}. A grayscale file's
 * values are taken as stored (Java2D would otherwise treat them as linear light and brighten them).
 */
public final class Images {

    /** How an image is resized with Java2D. */
    public enum Resize {
        /** Bilinear interpolation: smooth when enlarging; aliases when shrinking by more than 2×. */
        BILINEAR,
        /** Each output pixel the mean of the input area it covers: right for shrinking. */
        AREA;

        /** AREA if either side shrinks, else BILINEAR. */
        public static Resize forSizes(int fromHeight, int fromWidth, int toHeight, int toWidth) {
            return toHeight < fromHeight || toWidth < fromWidth ? AREA : BILINEAR;
        }
    }

    /**
     * The most pixels a picture may have, 2²⁵ (a 5792 × 5792 photograph): a header is checked before
     * its pixels are decoded, so a few bytes declaring 65535 × 65535 cannot ask for gigabytes.
     */
    public static final long MAX_PIXELS = 1L << 25;

    private Images() {
    }

    /**
     * The image in {@code file} as a float tensor {@code [C, H, W]} with values in [0, 1]
     * ({@code pixel / 255}), resized as {@link Resize#forSizes} chooses: what {@code soma predict}
     * feeds a model trained on an {@link ImageDataset}.
     */
    public static Tensor load(Path file, int channels, int height, int width) throws IOException {
        byte[] pixels = read(file, channels, height, width, null);
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = Byte.toUnsignedInt(pixels[i]) / 255f;
        }
        return Tensor.of(values, channels, height, width);
    }

    /**
     * The image in {@code file} as unsigned bytes {@code [C, H, W]}, resized with {@code resize}
     * (null: as {@link Resize#forSizes} chooses).
     *
     * @throws DataFileException if no ImageIO reader decodes the file
     */
    public static byte[] read(Path file, int channels, int height, int width, Resize resize) throws IOException {
        checkSize(channels, height, width);
        return pixels(decode(file), channels, height, width, resize);
    }

    /**
     * The picture in {@code file}, its size read from the header and checked against
     * {@link #MAX_PIXELS} before the decoder allocates its pixels.
     */
    private static BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(file, in);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataFileException(file, "ImageIO cannot decode this file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The picture whose file's bytes are {@code content} (read elsewhere, e.g. a Spark
     * {@code binaryFile} row), checked as {@link #read} checks a file.
     *
     * @param file the file's name, for messages
     * @throws DataFileException naming {@code file} when no decoder reads it
     */
    public static BufferedImage decode(Path file, byte[] content) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            return decode(file, in);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataFileException(file, "ImageIO cannot decode this file (" + e.getMessage() + ")", e);
        }
    }

    /** The picture {@code in} holds ({@code null}: none), its size checked before its pixels are decoded. */
    private static BufferedImage decode(Path file, ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
        if (readers == null || !readers.hasNext()) {
            throw new DataFileException(file, "ImageIO cannot decode this file (no reader for its format;"
                    + " PNG, JPEG, GIF and BMP are read)", null);
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) {
                throw new DataFileException(file, String.format("the picture is %d × %d pixels, more than the"
                        + " %,d (2^25) Soma reads", reader.getWidth(0), reader.getHeight(0), MAX_PIXELS), null);
            }
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    /** {@code image} resized and converted to unsigned bytes {@code [C, H, W]}. */
    public static byte[] pixels(BufferedImage image, int channels, int height, int width, Resize resize) {
        checkSize(channels, height, width);
        BufferedImage rgb = opaqueRgb(image);
        if (rgb.getHeight() != height || rgb.getWidth() != width) {
            rgb = resize(rgb, height, width,
                    resize != null ? resize : Resize.forSizes(rgb.getHeight(), rgb.getWidth(), height, width));
        }
        int[] argb = rgb.getRGB(0, 0, width, height, null, 0, width);
        int plane = height * width;
        byte[] pixels = new byte[channels * plane];
        for (int p = 0; p < plane; p++) {
            int r = (argb[p] >> 16) & 0xFF;
            int g = (argb[p] >> 8) & 0xFF;
            int b = argb[p] & 0xFF;
            if (channels == 1) {
                pixels[p] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16); // PIL's fixed-point luma
            } else {
                pixels[p] = (byte) r;
                pixels[plane + p] = (byte) g;
                pixels[2 * plane + p] = (byte) b;
            }
        }
        return pixels;
    }

    private static void checkSize(int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Images: channels must be 1 (grayscale) or 3 (RGB), got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Images: height and width must be > 0, got " + height + " × " + width);
        }
    }

    /**
     * The image in 8-bit RGB without alpha. Gray rasters are read as stored: {@code getRGB} would map
     * their linear gray to sRGB (128 becomes 188).
     */
    private static BufferedImage opaqueRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        ColorModel model = image.getColorModel();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            int max = (1 << model.getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (int) Math.round(raster.getSample(x, y, 0) * 255.0 / max);
                    rgb.setRGB(x, y, v * 0x010101);
                }
            }
        } else {
            rgb.setRGB(0, 0, w, h, image.getRGB(0, 0, w, h, null, 0, w), 0, w); // TYPE_INT_RGB drops alpha
        }
        return rgb;
    }

    private static BufferedImage resize(BufferedImage rgb, int height, int width, Resize resize) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            Image source = resize == Resize.AREA ? rgb.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING) : rgb;
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
