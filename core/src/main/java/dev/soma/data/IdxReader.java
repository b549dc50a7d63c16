package dev.soma.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST (<a href="http://yann.lecun.com/exdb/mnist/">LeCun et al.</a>):
 *
 * <pre>
 * offset    bytes     field
 * 0         2         magic: 0x00 0x00
 * 2         1         element type: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64
 * 3         1         rank r, the number of dimensions (at least 1 here)
 * 4         4·r       the sizes, big-endian unsigned 32-bit integers, outermost first
 * 4 + 4·r   n·size    the n = (product of the sizes) elements, big-endian, row-major
 * </pre>
 *
 * A gzip file (such as {@code t10k-images-idx3-ubyte.gz}) is recognised by its first two bytes,
 * 0x1F 0x8B, not by its name, and decompressed as it is read. Everything is checked: the magic, the
 * type, the rank, that the element count fits in a Java array, and that the file ends exactly where
 * the data does: a truncated file or trailing bytes are errors. Memory grows with the data read, not
 * with what the header declares: a 24-byte file that claims a gigabyte fails at byte 24 having
 * allocated kilobytes. Errors are {@link DataFileException}s
 * naming the file and the byte offset, counted in the decompressed stream for a gzip file.
 */
public final class IdxReader {

    /** The largest array the JVM reliably allocates. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 16;

    private IdxReader() {
    }

    /** The array stored in {@code file}, raw or gzipped. */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1F && raw.read() == 0x8B;
            raw.reset();
            Source in = new Source(file, gzip, raw);
            if (gzip) {
                try {
                    in.stream = new GZIPInputStream(raw, CHUNK);
                } catch (IOException e) {
                    throw in.error(0, "corrupt gzip data (" + e.getMessage() + ")");
                }
            }
            return read(in);
        }
    }

    private static IdxArray read(Source in) throws IOException {
        byte[] start = new byte[4];
        int got = in.readFully(start, 0, 4);
        for (int i = 0; i < Math.min(got, 2); i++) {
            if (start[i] != 0) {
                throw in.error(i, "bad magic " + IdxType.hex(start[0] & 0xFF)
                        + (got > 1 ? " " + IdxType.hex(start[1] & 0xFF) : "")
                        + " (an IDX file starts with two zero bytes)");
            }
        }
        if (got < 3) {
            throw in.error(got, "the file ends inside the 4-byte header (magic, type, rank)");
        }
        IdxType type = IdxType.of(start[2] & 0xFF);
        if (type == null) {
            throw in.error(2, "unknown IDX type " + IdxType.hex(start[2] & 0xFF) + " (expected "
                    + IdxType.expectedCodes() + ")");
        }
        if (got < 4) {
            throw in.error(got, "the file ends inside the 4-byte header (magic, type, rank)");
        }
        int rank = start[3] & 0xFF;
        if (rank == 0) {
            throw in.error(3, "rank 0 (an IDX file holds at least one dimension)");
        }
        int headerBytes = 4 + 4 * rank;
        ByteBuffer sizes = ByteBuffer.allocate(4 * rank);
        got = in.readFully(sizes.array(), 0, 4 * rank);
        if (got < 4 * rank) {
            throw in.error(4 + got, "the file ends inside the header (rank " + rank + " needs " + headerBytes
                    + " header bytes)");
        }
        int[] shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            long size = Integer.toUnsignedLong(sizes.getInt());
            count *= size;
            if (size > MAX_ELEMENTS) { // checked alone too: after a size 0, count stays 0
                throw in.error(4 + 4 * d, String.format("size %d of dimension %d is more than the %,d elements"
                        + " a Java array holds", size, d, MAX_ELEMENTS));
            }
            if (count > MAX_ELEMENTS) {
                throw in.error(4 + 4 * d, String.format("size %d of dimension %d makes more than %,d elements,"
                        + " more than a Java array holds", size, d, MAX_ELEMENTS));
            }
            shape[d] = (int) size;
        }
        long dataBytes = count * type.bytes();
        IdxArray array = type == IdxType.U8
                ? IdxArray.ofBytes(readBytes(in, (int) count, headerBytes, dataBytes, shape), shape)
                : IdxArray.ofFloats(type, readFloats(in, type, (int) count, headerBytes, dataBytes, shape), shape);
        long end = headerBytes + dataBytes;
        long trailing = in.drain();
        if (trailing > 0) {
            throw in.error(end, String.format("%,d trailing bytes after the data (the header promises %,d bytes"
                    + " in all)", trailing, end));
        }
        return array;
    }

    /**
     * The {@code count} elements, in an array that grows (doubling from {@link #CHUNK}) as the data
     * arrives: a header that promises more than the file holds fails where the file ends, having
     * allocated at most twice what was really there, never what the header claimed.
     */
    private static byte[] readBytes(Source in, int count, int headerBytes, long dataBytes, int[] shape)
            throws IOException {
        byte[] data = new byte[Math.min(count, CHUNK)];
        for (int done = 0; done < count; ) {
            if (done == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, 2L * data.length));
            }
            int got = in.readFully(data, done, data.length - done);
            done += got;
            if (done < data.length) {
                throw truncated(in, headerBytes, dataBytes, shape, IdxType.U8);
            }
        }
        return data;
    }

    /** As {@link #readBytes}, for the types held as floats. */
    private static float[] readFloats(Source in, IdxType type, int count, int headerBytes, long dataBytes,
            int[] shape) throws IOException {
        float[] values = new float[Math.min(count, CHUNK)];
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK); // big-endian, as IDX
        for (int done = 0; done < count; ) {
            if (done == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(count, 2L * values.length));
            }
            int elements = Math.min(values.length - done, CHUNK / type.bytes());
            int bytes = elements * type.bytes();
            if (in.readFully(chunk.array(), 0, bytes) < bytes) {
                throw truncated(in, headerBytes, dataBytes, shape, type);
            }
            chunk.clear();
            for (int i = 0; i < elements; i++, done++) {
                values[done] = switch (type) {
                    case I8 -> chunk.get();
                    case I16 -> chunk.getShort();
                    case I32 -> chunk.getInt();
                    case F32 -> chunk.getFloat();
                    case F64 -> (float) chunk.getDouble();
                    case U8 -> throw new AssertionError("U8 is read as bytes");
                };
            }
        }
        return values;
    }

    private static DataFileException truncated(Source in, int headerBytes, long dataBytes, int[] shape,
            IdxType type) {
        return in.error(in.position, String.format("the file ends here, but the header promises %,d bytes of"
                + " data (%s %s), %,d bytes in all", dataBytes, Arrays.toString(shape), type, headerBytes + dataBytes));
    }

    /** The bytes of one file as they are read: counts them, and reports a broken gzip stream as such. */
    private static final class Source {
        final Path file;
        final boolean gzip;
        InputStream stream;
        long position;

        Source(Path file, boolean gzip, InputStream stream) {
            this.file = file;
            this.gzip = gzip;
            this.stream = stream;
        }

        /** Reads up to {@code length} bytes into {@code into} from {@code offset}; fewer only at the end of the file. */
        int readFully(byte[] into, int offset, int length) throws DataFileException {
            int done = 0;
            while (done < length) {
                int n = read(into, offset + done, length - done);
                if (n < 0) {
                    break;
                }
                done += n;
            }
            return done;
        }

        /** Reads the rest of the stream, returning how many bytes it held. */
        long drain() throws DataFileException {
            long start = position;
            byte[] sink = new byte[CHUNK];
            while (read(sink, 0, sink.length) >= 0) {
                // count and discard
            }
            return position - start;
        }

        private int read(byte[] into, int offset, int length) throws DataFileException {
            try {
                int n = stream.read(into, offset, length);
                position += Math.max(n, 0);
                return n;
            } catch (IOException e) {
                throw error(position, (gzip ? "corrupt gzip data (" : "read failed (") + e.getMessage() + ")");
            }
        }

        DataFileException error(long offset, String problem) {
            return new DataFileException(file, offset, gzip, problem);
        }
    }
}
