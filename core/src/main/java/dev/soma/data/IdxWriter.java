package dev.soma.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files in the layout {@link IdxReader} describes: the magic 0x00 0x00, the type code, the
 * rank, the sizes as big-endian unsigned 32-bit integers, then the elements big-endian. Values held as
 * floats are converted to the array's type: integer types take whole numbers in their range only.
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /** Writes {@code array} to {@code file}, gzipped if the file name ends in {@code .gz}. */
    public static void write(Path file, IdxArray array) throws IOException {
        write(file, array, file.getFileName().toString().endsWith(".gz"));
    }

    /** Writes {@code array} to {@code file}, replacing it, gzipped or raw. */
    public static void write(Path file, IdxArray array, boolean gzip) throws IOException {
        checkValues(array);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (gzip) {
                try (GZIPOutputStream zipped = new GZIPOutputStream(out, 1 << 16)) {
                    write(zipped, array);
                }
            } else {
                write(out, array);
            }
        }
    }

    /** Writes {@code array} to {@code out} uncompressed; flushes but does not close {@code out}. */
    public static void write(OutputStream out, IdxArray array) throws IOException {
        checkValues(array);
        IdxType type = array.type();
        int[] shape = array.shape();
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.writeShort(0);
        data.writeByte(type.code());
        data.writeByte(shape.length);
        for (int size : shape) {
            data.writeInt(size);
        }
        if (type == IdxType.U8) {
            data.write(array.bytes());
        } else {
            for (float value : array.floats()) {
                switch (type) {
                    case I8 -> data.writeByte((int) value);
                    case I16 -> data.writeShort((int) value);
                    case I32 -> data.writeInt((int) value);
                    case F32 -> data.writeFloat(value);
                    case F64 -> data.writeDouble(value);
                    case U8 -> throw new AssertionError("U8 is written as bytes");
                }
            }
        }
        data.flush();
    }

    /** Rejects a value an integer type cannot hold exactly, naming its index. */
    private static void checkValues(IdxArray array) {
        double low = switch (array.type()) {
            case I8 -> Byte.MIN_VALUE;
            case I16 -> Short.MIN_VALUE;
            case I32 -> Integer.MIN_VALUE;
            default -> Double.NaN;
        };
        if (Double.isNaN(low)) {
            return;
        }
        double high = -low - 1;
        float[] values = array.floats();
        for (int i = 0; i < values.length; i++) {
            float value = values[i];
            if (value != Math.rint(value) || value < low || value > high) {
                throw new IllegalArgumentException("IdxWriter: element " + i + " is " + value + ", not a whole number"
                        + " in " + array.type() + "'s range " + (long) low + ".." + (long) high);
            }
        }
    }
}
