package dev.soma.app.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writing images as PNG files. */
public final class Png {

    private Png() {}

    /**
     * Writes {@code image} (not modified) to {@code file} as a PNG, creating missing parent
     * directories. The bytes go to a temporary file in the same directory, which is then moved over
     * {@code file} atomically, so a reader never sees half a picture and a failed write leaves no
     * temporary file behind.
     *
     * @throws IOException "cannot write plot to FILE: REASON" when any step fails, the cause attached
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("cannot write plot to " + file + ": not a file name");
        }
        Path temporary = null;
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            // NOTE: not Files.createTempFile, whose owner-only permissions the moved file would keep.
            String name = "." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
            Path candidate = directory.resolve(name);
            try (OutputStream out = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
                temporary = candidate;
                // A memory-cached stream: ImageIO's default would stage the bytes in java.io.tmpdir.
                if (!ImageIO.write(image, "png", png)) {
                    throw new IOException("no PNG writer for an image of type " + image.getType());
                }
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // NOTE: a file system without atomic rename still gets the file, just not atomically.
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new IOException("cannot write plot to " + file + ": " + reason(e), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }

    /** What went wrong, in words, with the path involved when it is not the target itself. */
    private static String reason(IOException e) {
        return switch (e) {
            case FileAlreadyExistsException f -> f.getFile() + " exists and is not a directory";
            case NotDirectoryException f -> f.getFile() + " is not a directory";
            case NoSuchFileException f -> "no such file or directory: " + f.getFile();
            case AccessDeniedException f -> "permission denied: " + f.getFile();
            case FileSystemException f when f.getReason() != null -> f.getReason() + ": " + f.getFile();
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
