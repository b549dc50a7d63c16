package dev.soma.nn;

import java.util.List;

/**
 * Two sizes of a 2-D window, along H and along W: a kernel, stride, padding or dilation, as PyTorch's
 * {@code _pair} makes {@code kernel_size=3} into {@code (3, 3)}. A model file writes a pair as one
 * integer when both are equal ({@code 3}) and as an array otherwise ({@code [3, 5]}), and reads either.
 */
public record Pair(int h, int w) {

    /** The pair {@code (size, size)}. */
    public static Pair of(int size) {
        return new Pair(size, size);
    }

    /** {@code {h, w}}, a new array. */
    public int[] toArray() {
        return new int[] {h, w};
    }

    /** Whether both sizes are equal. */
    public boolean square() {
        return h == w;
    }

    /** As a model file writes it: an {@code Integer} when square, else a list of two. */
    Object toArg() {
        return square() ? (Object) h : List.of(h, w);
    }

    /** Both at least 1, or the error names {@code field}. */
    Pair positive(String field) {
        SpecChecks.positive(field, Math.min(h, w));
        return this;
    }

    /** Both at least 0, or the error names {@code field}. */
    Pair nonNegative(String field) {
        SpecChecks.nonNegative(field, Math.min(h, w));
        return this;
    }

    /** PyTorch's repr: {@code (3, 5)}. */
    @Override
    public String toString() {
        return "(" + h + ", " + w + ")";
    }
}
