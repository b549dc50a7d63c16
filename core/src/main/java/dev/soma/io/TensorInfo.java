package dev.soma.io;

import dev.soma.tensor.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header: its name, element type ({@code "F32"}, {@code "BF16"},
 * …), shape and {@code data_offsets}, the byte range {@code [begin, end)} of its data counted from the
 * first byte after the header.
 *
 * @param name the tensor's name, such as {@code 0.weight}
 * @param dtype the element type as the header spells it
 * @param shape the sizes of the dimensions (copied in and out)
 * @param begin the first byte of the data, relative to the data section
 * @param end one past the last byte of the data, relative to the data section
 */
public record TensorInfo(String name, String dtype, int[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the shape (1 for a rank-0 tensor). */
    public long numel() {
        long n = 1;
        for (int size : shape) {
            n *= size;
        }
        return n;
    }

    /** The length of the data in bytes, {@code end - begin}. */
    public long byteCount() {
        return end - begin;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo t && name.equals(t.name) && dtype.equals(t.dtype)
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + ": " + dtype + " " + Shape.format(shape) + " at bytes [" + begin + ", " + end + ")";
    }
}
