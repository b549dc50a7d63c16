package dev.soma.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Files written whole or not at all: every file Soma writes (models, pictures) goes through
 * {@link #write}. The bytes go to a temporary file beside the target, are forced to the disk, and
 * the temporary file is then renamed over the target in one step. A reader sees the old file or the
 * new one, never half of one; after a crash the target is whole (the data reached the disk before
 * the rename did); and when anything fails the old file is untouched and no temporary file remains.
 *
 * <p>A run stopped in the middle of a write leaves no model-sized temporary behind either: on Ctrl-C
 * or SIGTERM the JVM's shutdown hook deletes the temporaries being written, and where a run was
 * killed outright (SIGKILL, a power cut), the next write to the same file sweeps the temporaries of
 * Soma's naming pattern for it ({@code .NAME.<16 hex digits>.tmp}) that are older than
 * {@link #STALE_AFTER}, so a write still under way in another process is left alone.
 */
public final class AtomicFiles {

    /** How old a temporary of Soma's pattern must be before a later write deletes it as abandoned. */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);

    /** The temporaries being written in this JVM, deleted by the shutdown hook if the JVM stops first. */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deleteInFlight, "soma-atomic-files-cleanup"));
    }

    private AtomicFiles() {
    }

    /** Deletes every temporary still being written: what the shutdown hook does. */
    static void deleteInFlight() {
        for (Path temporary : IN_FLIGHT) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // Stopping anyway; the next write's sweep gets another chance.
            }
        }
    }

    /** The temporaries being written now, for tests. */
    static Set<Path> inFlight() {
        return Set.copyOf(IN_FLIGHT);
    }

    /**
     * Deletes the temporaries of {@code file} in {@code directory} that are older than
     * {@link #STALE_AFTER} and not being written by this JVM: what a killed run left behind.
     */
    static void sweepStale(Path directory, Path file) {
        Pattern ours = Pattern.compile(Pattern.quote("." + file.getFileName() + ".") + "[0-9a-f]{1,16}\\.tmp");
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> ours.matcher(entry.getFileName().toString()).matches())) {
            for (Path entry : entries) {
                if (!IN_FLIGHT.contains(entry) && Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException ignored) {
            // Sweeping is housekeeping: the write itself must not fail for it.
        }
    }

    /** What goes into the file: writes to the channel (at its position), and does not close it. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code file} holding exactly {@code bytes} (not modified), as {@link #write(Path, String, Contents)}.
     *
     * @throws IOException "cannot write WHAT: REASON" when any step fails, the cause attached
     */
    public static void write(Path file, String what, byte[] bytes) throws IOException {
        write(file, what, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /**
     * Writes all of {@code buffer} to {@code channel}. One {@code write} may write less than asked
     * (Linux writes at most 2 GiB − 4 KiB a call), so it is called until nothing remains.
     */
    static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
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
            sweepStale(directory, file);
            // NOTE: not Files.createTempFile, whose owner-only permissions the renamed file would keep.
            Path candidate = directory.resolve("." + file.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                temporary = candidate;
                IN_FLIGHT.add(temporary);
                contents.writeTo(channel);
                channel.force(false);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // NOTE: a file system without atomic rename still gets the file, just not atomically.
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            IN_FLIGHT.remove(temporary);
            temporary = null;
        } catch (IOException e) {
            throw new IOException("cannot write " + what + ": " + reason(e), e);
        } finally {
            if (temporary != null) {
                IN_FLIGHT.remove(temporary);
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
