package dev.soma.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that is not what it claims to be: bad magic, an unknown type, a header that
 * promises more (or fewer) bytes than the file holds, a label out of range, an image no decoder reads.
 * The message names the file and, where there is one, the byte offset of the problem; for a gzip
 * file the offset counts bytes of the decompressed stream, and the message says so.
 */
public final class DataFileException extends IOException {

    private final Path file;
    private final long offset;
    private final boolean decompressed;

    /**
     * A problem at byte {@code offset} of {@code file} ({@code -1} if it has no position), counted in
     * the decompressed stream when {@code decompressed}.
     */
    public DataFileException(Path file, long offset, boolean decompressed, String problem) {
        super(file + ": " + where(offset, decompressed) + problem);
        this.file = file;
        this.offset = offset;
        this.decompressed = decompressed;
    }

    /** A problem with the file as a whole. */
    public DataFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.offset = -1;
        this.decompressed = false;
    }

    public Path file() {
        return file;
    }

    /** The byte offset of the problem, or -1 if it has none. */
    public long offset() {
        return offset;
    }

    /** Whether {@link #offset()} counts bytes of the decompressed (gunzipped) stream. */
    public boolean decompressed() {
        return decompressed;
    }

    private static String where(long offset, boolean decompressed) {
        if (offset < 0) {
            return "";
        }
        return "byte " + offset + (decompressed ? " of the decompressed stream" : "") + ": ";
    }
}
