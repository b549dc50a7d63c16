package dev.soma.nn;

import dev.soma.tensor.Shape;

/**
 * The checks that the layers' spec records share: ranges of hyperparameters, and the shapes a
 * layer accepts, in the words of a model spec's errors (field names as the file spells them).
 */
final class SpecChecks {

    private SpecChecks() {}

    static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be ≥ 1, got " + value);
        }
    }

    static void nonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be ≥ 0, got " + value);
        }
    }

    static void finite(String field, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be finite, got " + value);
        }
    }

    /** A pooling window's settings, as PyTorch accepts them: padding at most half the kernel. */
    static void pooling(int kernelSize, int stride, int padding) {
        pooling(Pair.of(kernelSize), Pair.of(stride), Pair.of(padding));
    }

    /** A pooling window's settings per axis, as PyTorch accepts them: padding at most half the kernel. */
    static void pooling(Pair kernel, Pair stride, Pair padding) {
        kernel.positive("kernel_size");
        stride.positive("stride");
        if (padding.h() < 0 || padding.w() < 0 || padding.h() > kernel.h() / 2 || padding.w() > kernel.w() / 2) {
            throw new IllegalArgumentException("padding must be between 0 and half the kernel size ("
                    + text(new Pair(kernel.h() / 2, kernel.w() / 2)) + "), got " + text(padding));
        }
    }

    /** Requires {@code [C, H, W]}, and {@code C == channels} unless channels is negative. */
    static void requireImages(int[] input, String given, int channels, String what) {
        if (input.length != 3) {
            throw new IllegalArgumentException("expects images [C, H, W], " + given + " " + Shape.format(input));
        }
        if (channels >= 0 && input[0] != channels) {
            throw new IllegalArgumentException("expects " + channels + " " + what + ", " + given + " " + input[0]
                    + " (" + Shape.format(input) + ")");
        }
    }

    /** {@code [channels, H', W']} of a window sliding over {@code [C, H, W]}, which must fit. */
    static int[] window(int[] input, String given, int channels, int kernel, int stride, int padding, int dilation) {
        return window(input, given, channels, Pair.of(kernel), Pair.of(stride), Pair.of(padding), Pair.of(dilation));
    }

    /** {@code [channels, H', W']} of a window sliding over {@code [C, H, W]}, each setting per axis. */
    static int[] window(int[] input, String given, int channels, Pair kernel, Pair stride, Pair padding,
                        Pair dilation) {
        return window(input, given, channels, kernel, stride, padding, dilation, false);
    }

    /** As {@link #window(int[], String, int, Pair, Pair, Pair, Pair)}, with a pooling's {@code ceil_mode}. */
    static int[] window(int[] input, String given, int channels, Pair kernel, Pair stride, Pair padding,
                        Pair dilation, boolean ceilMode) {
        int height = Shape.poolingOutputSize(input[1], kernel.h(), dilation.h(), padding.h(), stride.h(), ceilMode);
        int width = Shape.poolingOutputSize(input[2], kernel.w(), dilation.w(), padding.w(), stride.w(), ceilMode);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("a " + kernel.h() + "×" + kernel.w() + " window (stride "
                    + text(stride) + ", padding " + text(padding) + ", dilation " + text(dilation)
                    + ") does not fit in the images: " + given + " " + Shape.format(input));
        }
        return new int[] {channels, height, width};
    }

    /** {@code 3} for (3, 3), {@code (3, 5)} for (3, 5): as a model file and PyTorch's repr write it. */
    static String text(Pair pair) {
        return pair.square() ? String.valueOf(pair.h()) : pair.toString();
    }

    /** {@code dim} of the batched tensor {@code [N, *input]}, in {@code [0, rank)}. */
    static int batchedDim(String field, int dim, int[] input) {
        int rank = input.length + 1;
        if (dim < -rank || dim >= rank) {
            throw new IllegalArgumentException(field + " " + dim + " is out of range for the batched shape "
                    + batched(input) + " (expected " + -rank + " to " + (rank - 1) + ")");
        }
        return dim < 0 ? dim + rank : dim;
    }

    /** {@code [N, d₀, d₁, …]}: a sample's shape with the batch dimension in front. */
    static String batched(int[] input) {
        return "[N, " + Shape.format(input).substring(1);
    }
}
