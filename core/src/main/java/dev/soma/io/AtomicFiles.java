package dev.soma.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
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

/**
 * Files written whole or not at all: every file Soma writes (models, pictures) goes through
 * {@link #write}. The bytes go to a temporary file beside the target, are forced to the disk, and
 * the temporary file is then renamed over the target in one step. A reader sees the old file or the
 * new one, never half of one; after a crash the target is whole (the data reached the disk before
 * the rename did); and when anything fails the old file is untouched and no temporary file remains.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** What goes into the file: writes to the channel (at its position), and does not close it. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code file} with {@code contents}, creating missing parent directories.
     *
     * @param what names the file in error messages, e.g. {@code "plot to out.png"}
     * @throws IllegalArgumentException "cannot write WHAT: not a file name" when {@code file} has no name
     * @throws IOException "cannot write WHAT: REASON" when any step fails, the cause attached
     */
    public static void write(Path file, String what, Contents contents) throws IOException {
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("cannot write " + what + ": not a file name");
        }
        Path temporary = null;
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            // NOTE: not Files.createTempFile, whose owner-only permissions the renamed file would keep.
            Path candidate = directory.resolve("." + file.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                temporary = candidate;
                contents.writeTo(channel);
                channel.force(false);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // NOTE: a file system without atomic rename still gets the file, just not atomically.
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new IOException("cannot write " + what + ": " + reason(e), e);
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
