package dev.soma.data;

import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Arrays;

/**
 * The contents of one IDX file: its element type, its shape (the header's sizes, outermost first)
 * and its elements in row-major order. Unsigned bytes stay bytes, four times smaller than floats (an
 * MNIST training set is 47 MB as bytes); every other type is held as floats.
 */
public final class IdxArray {

    private final IdxType type;
    private final int[] shape;
    private final byte[] bytes;
    private final float[] floats;

    private IdxArray(IdxType type, int[] shape, byte[] bytes, float[] floats) {
        int length = bytes != null ? bytes.length : floats.length;
        if (shape.length == 0) {
            throw new IllegalArgumentException("IdxArray: an IDX array has rank >= 1, got shape []");
        }
        long count = 1;
        for (int size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("IdxArray: negative size in shape " + Arrays.toString(shape));
            }
            count *= size;
        }
        if (count != length) {
            throw new IllegalArgumentException("IdxArray: shape " + Shape.format(shape) + " holds " + count
                    + " elements, got " + length);
        }
        this.type = type;
        this.shape = shape.clone();
        this.bytes = bytes;
        this.floats = floats;
    }

    /** Unsigned bytes (type {@link IdxType#U8}) of the given shape; {@code data} is kept, not copied. */
    public static IdxArray ofBytes(byte[] data, int... shape) {
        return new IdxArray(IdxType.U8, shape, data, null);
    }

    /**
     * Values of any type but {@link IdxType#U8} held as floats; {@code data} is kept, not copied.
     * Integer types must hold whole numbers in their range when written.
     */
    public static IdxArray ofFloats(IdxType type, float[] data, int... shape) {
        if (type == IdxType.U8) {
            throw new IllegalArgumentException("IdxArray: U8 data is held as bytes; use ofBytes");
        }
        return new IdxArray(type, shape, null, data);
    }

    public IdxType type() {
        return type;
    }

    /** The sizes from the header, outermost first. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the sizes. */
    public int length() {
        return bytes != null ? bytes.length : floats.length;
    }

    /** The raw unsigned bytes of a {@link IdxType#U8} array (not a copy). */
    public byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("IdxArray: " + type + " data is held as floats, not bytes");
        }
        return bytes;
    }

    /** The values of any other type (not a copy). */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("IdxArray: U8 data is held as bytes, not floats");
        }
        return floats;
    }

    /** Element {@code i} in row-major order, as a number (0..255 for unsigned bytes). */
    public float get(int i) {
        return bytes != null ? Byte.toUnsignedInt(bytes[i]) : floats[i];
    }

    /** The elements copied into a float tensor of the same shape (unsigned bytes become 0..255, unscaled). */
    public Tensor toTensor() {
        float[] values = floats != null ? floats : new float[bytes.length];
        if (floats == null) {
            for (int i = 0; i < values.length; i++) {
                values[i] = Byte.toUnsignedInt(bytes[i]);
            }
        }
        return Tensor.of(values, shape);
    }

    @Override
    public String toString() {
        return "IdxArray(" + type + ", " + Shape.format(shape) + ")";
    }
}
