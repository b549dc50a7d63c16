package dev.soma.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be what it claims to be: a safetensors file with a broken header or data, a
 * model file without a spec, a spec that does not describe a working network. The message names the
 * file first, then what is wrong and where (tensor, byte offset, layer, field).
 */
public class FileFormatException extends IOException {

    private final transient Path file;

    /** An error in {@code file}, described by {@code problem}. */
    public FileFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** An error in {@code file}, described by {@code problem}, caused by {@code cause}. */
    public FileFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the error is in. */
    public Path file() {
        return file;
    }
}
