package dev.soma.app.plot;

import dev.soma.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writing images as PNG files. */
public final class Png {

    private Png() {}

    /**
     * Writes {@code image} (not modified) to {@code file} as a PNG, creating missing parent
     * directories. The file is written by {@link AtomicFiles#write}, so a reader never sees half a
     * picture and a failed write leaves no temporary file behind.
     *
     * @throws IOException "cannot write plot to FILE: REASON" when any step fails, the cause attached
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, "plot to " + file, channel -> {
            // NOTE: closing the channel's stream would close the channel; MemoryCacheImageOutputStream
            // flushes into it on close and leaves it open. A memory-cached stream, too, because
            // ImageIO's default would stage the bytes in java.io.tmpdir.
            OutputStream out = Channels.newOutputStream(channel);
            try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", png)) {
                    throw new IOException("no PNG writer for an image of type " + image.getType());
                }
            }
        });
    }
}
