package dev.soma.data;

import java.util.Locale;

/**
 * Whether pictures are drawn on a dark or a light background, judged by their border: the pixels of
 * the first and last rows and columns, each the mean of its channels, in [0, 1]. Fashion-MNIST and
 * MNIST draw light objects on black ({@link #DARK}); a photo of a shoe on a table is usually
 * {@link #LIGHT}. A network trained on one polarity reads the other as a different picture, so
 * {@code soma predict} inverts a picture ({@code 255 − pixel}) whose background is clearly the
 * other one.
 *
 * <p>The rule: a border is dark when at least {@value #AGREEMENT_PERCENT} % of its pixels are below
 * 0.5, light when at least that share are at or above 0.5, and {@link #MIXED} otherwise (a photo
 * half on a dark floor, half on a light wall): a mixed picture is never inverted.
 */
public enum Background {
    DARK, LIGHT, MIXED;

    /** The share of border pixels, in percent, that must agree for a background to be dark or light. */
    public static final int AGREEMENT_PERCENT = 90;

    /** {@code dark}, {@code light}, {@code mixed}: how model files and messages spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The background spelt {@code id} ({@link #id()}, case ignored). */
    public static Background of(String id) {
        for (Background b : values()) {
            if (b.id().equalsIgnoreCase(id)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown background '" + id + "' (expected dark, light or mixed)");
    }

    /** The opposite polarity: dark for light, light for dark; mixed stays mixed. */
    public Background opposite() {
        return switch (this) {
            case DARK -> LIGHT;
            case LIGHT -> DARK;
            case MIXED -> MIXED;
        };
    }

    /**
     * Whether a picture (unsigned bytes {@code [C, H, W]}) is to be inverted for a model trained on
     * this background: when its own background is clearly the opposite one. Never for a model trained
     * on {@link #MIXED} backgrounds, nor for a mixed picture.
     */
    public boolean opposedBy(byte[] pixels, int channels, int height, int width) {
        return this != MIXED && of(pixels, channels, height, width) == opposite();
    }

    /** The background of one picture, unsigned bytes {@code [C, H, W]} (not modified). */
    public static Background of(byte[] pixels, int channels, int height, int width) {
        Count count = new Count();
        count.add(pixels, 0, channels, height, width);
        return count.background();
    }

    /**
     * The background of a training set: the same rule over the border pixels of all its pictures
     * together, so a set of dark pictures with a few light ones is still dark.
     */
    public static Background of(ImageDataset images) {
        Count count = new Count();
        for (int i = 0; i < images.size(); i++) {
            count.add(images.image(i), 0, images.channels(), images.height(), images.width());
        }
        return count.background();
    }

    /** The mean of the border pixels of one picture {@code [C, H, W]}, in [0, 1]. */
    public static double borderMean(byte[] pixels, int channels, int height, int width) {
        Count count = new Count();
        count.add(pixels, 0, channels, height, width);
        return count.sum / Math.max(1, count.total);
    }

    /** {@code 255 − pixel} for each byte of {@code pixels}, in a new array. */
    public static byte[] invert(byte[] pixels) {
        byte[] inverted = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            inverted[i] = (byte) (255 - Byte.toUnsignedInt(pixels[i]));
        }
        return inverted;
    }

    /** Border pixels counted: how many, how many dark, and their sum (each in [0, 1]). */
    private static final class Count {
        long total;
        long dark;
        double sum;

        void add(byte[] pixels, int offset, int channels, int height, int width) {
            for (int y = 0; y < height; y++) {
                boolean edgeRow = y == 0 || y == height - 1;
                for (int x = 0; x < width; x += edgeRow || x == width - 1 ? 1 : width - 1) {
                    double value = 0;
                    for (int c = 0; c < channels; c++) {
                        value += Byte.toUnsignedInt(pixels[offset + (c * height + y) * width + x]);
                    }
                    value /= 255.0 * channels;
                    total++;
                    sum += value;
                    if (value < 0.5) {
                        dark++;
                    }
                }
            }
        }

        Background background() {
            if (total == 0) {
                return MIXED;
            }
            if (100 * dark >= AGREEMENT_PERCENT * total) {
                return DARK;
            }
            if (100 * (total - dark) >= AGREEMENT_PERCENT * total) {
                return LIGHT;
            }
            return MIXED;
        }
    }
}
