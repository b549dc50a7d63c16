package dev.soma.spark;

import dev.soma.data.Background;
import dev.soma.data.Images;
import dev.soma.io.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

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
     * @throws dev.soma.data.DataFileException naming the file when no decoder reads it
     */
    static Decoded decode(String name, byte[] content, Preprocessing input, boolean invert) throws IOException {
        BufferedImage image = Images.decode(Path.of(name), content);
        byte[] pixels = Images.pixels(image, input.channels(), input.height(), input.width(), null);
        boolean inverted = invert && input.background().opposedBy(pixels, input.channels(), input.height(), input.width());
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
}
