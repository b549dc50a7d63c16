package dev.soma.spark;

import dev.soma.data.Background;
import dev.soma.data.DataFileException;
import dev.soma.data.Images;
import dev.soma.io.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A picture file's bytes (a {@code binaryFile} row's {@code content}) into the pixels a model takes,
 * as {@code soma predict} makes them from a file: decoded by {@code javax.imageio}, its size checked
 * against {@link Images#MAX_PIXELS} before the pixels are decoded, resized and converted by
 * {@link Images#pixels}, and inverted when its background is clearly the opposite of the training
 * pictures' ({@link Background}).
 */
final class Pictures {

    private Pictures() {
    }

    /**
     * The pixels {@code [C, H, W]} of the picture in {@code content}, sized as {@code input} says.
     *
     * @param name the file's name, for messages
     * @param invert whether a picture of the opposite background is inverted
     * @throws DataFileException naming the file when no decoder reads it
     */
    static Decoded decode(String name, byte[] content, Preprocessing input, boolean invert) throws IOException {
        BufferedImage image = read(name, content);
        byte[] pixels = Images.pixels(image, input.channels(), input.height(), input.width(), null);
        boolean inverted = invert && input.background() != Background.MIXED
                && Background.of(pixels, input.channels(), input.height(), input.width()) == input.background().opposite();
        return new Decoded(inverted ? Background.invert(pixels) : pixels, inverted);
    }

    /**
     * A picture's pixels and whether they were inverted.
     *
     * @param pixels unsigned bytes {@code [C, H, W]}
     * @param inverted whether the picture was inverted to the training pictures' background
     */
    record Decoded(byte[] pixels, boolean inverted) {
    }

    private static BufferedImage read(String name, byte[] content) throws IOException {
        Path file = Path.of(name);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataFileException(file, "ImageIO cannot decode this file (no reader for its format;"
                        + " PNG, JPEG, GIF and BMP are read)", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > Images.MAX_PIXELS) {
                    throw new DataFileException(file, String.format("the picture is %d × %d pixels, more than the"
                            + " %,d (2^25) Soma reads", reader.getWidth(0), reader.getHeight(0), Images.MAX_PIXELS), null);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DataFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataFileException(file, "ImageIO cannot decode this file (" + e.getMessage() + ")", e);
        }
    }
}
