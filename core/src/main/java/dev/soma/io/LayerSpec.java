package dev.soma.io;

import dev.soma.tensor.Shape;
import java.util.Arrays;

/**
 * One layer of a {@link ModelSpec}: its type and hyperparameters, the names and defaults of
 * PyTorch's {@code torch.nn} constructors, and how it changes the shape of one sample (the batch
 * dimension is left out). In JSON a layer is {@code {"type": "linear", "in_features": 784, …}}.
 *
 * <p>Each record checks its values when constructed; the error names the field but not the layer's
 * position, which {@link ModelSpec} and the JSON reader add.
 */
public sealed interface LayerSpec {

    /** The type as JSON spells it: {@code linear}, {@code conv2d}, {@code leaky_relu}, … */
    String type();

    /**
     * The shape of one sample after this layer, given the shape before it.
     *
     * @param input the shape of one sample (not modified)
     * @param given how to name where {@code input} comes from in errors: "the input gives", "the
     *     previous layers give"
     * @throws IllegalArgumentException when this layer cannot take that shape
     */
    default int[] outputShape(int[] input, String given) {
        return input.clone();
    }

    /** {@code y = x·Wᵀ + b}: {@code [*, in_features] → [*, out_features]}. */
    record Linear(int inFeatures, int outFeatures, boolean bias) implements LayerSpec {
        public Linear {
            positive("in_features", inFeatures);
            positive("out_features", outFeatures);
        }

        @Override
        public String type() {
            return "linear";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            int last = input[input.length - 1];
            if (last != inFeatures) {
                String hint = "";
                if (input.length > 1) {
                    hint = " (the last dimension of " + Shape.format(input) + ")"
                            + (Shape.numel(input) == inFeatures ? "; a flatten layer before it would give " + inFeatures : "");
                }
                throw new IllegalArgumentException("expects " + inFeatures + " input features, " + given + " " + last + hint);
            }
            int[] out = input.clone();
            out[out.length - 1] = outFeatures;
            return out;
        }
    }

    /** A 2-D convolution: {@code [in_channels, H, W] → [out_channels, H', W']}. */
    record Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, boolean bias)
            implements LayerSpec {
        public Conv2d {
            positive("in_channels", inChannels);
            positive("out_channels", outChannels);
            positive("kernel_size", kernelSize);
            positive("stride", stride);
            nonNegative("padding", padding);
            positive("dilation", dilation);
        }

        @Override
        public String type() {
            return "conv2d";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            requireImages(input, given, inChannels, "input channels");
            return window(input, given, outChannels, kernelSize, stride, padding, dilation);
        }
    }

    /** The maximum of each {@code k×k} window: {@code [C, H, W] → [C, H', W']}. */
    record MaxPool2d(int kernelSize, int stride, int padding) implements LayerSpec {
        public MaxPool2d {
            pooling(kernelSize, stride, padding);
        }

        @Override
        public String type() {
            return "maxpool2d";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            requireImages(input, given, -1, null);
            return window(input, given, input[0], kernelSize, stride, padding, 1);
        }
    }

    /** The mean of each {@code k×k} window (padding counted): {@code [C, H, W] → [C, H', W']}. */
    record AvgPool2d(int kernelSize, int stride, int padding) implements LayerSpec {
        public AvgPool2d {
            pooling(kernelSize, stride, padding);
        }

        @Override
        public String type() {
            return "avgpool2d";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            requireImages(input, given, -1, null);
            return window(input, given, input[0], kernelSize, stride, padding, 1);
        }
    }

    /** Batch normalisation of features: {@code [C]} or {@code [C, L]}, unchanged. */
    record BatchNorm1d(int numFeatures) implements LayerSpec {
        public BatchNorm1d {
            positive("num_features", numFeatures);
        }

        @Override
        public String type() {
            return "batchnorm1d";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            if (input.length > 2 || input[0] != numFeatures) {
                throw new IllegalArgumentException("expects [" + numFeatures + "] or [" + numFeatures + ", L], "
                        + given + " " + Shape.format(input));
            }
            return input.clone();
        }
    }

    /** Batch normalisation of channels: {@code [C, H, W]}, unchanged. */
    record BatchNorm2d(int numFeatures) implements LayerSpec {
        public BatchNorm2d {
            positive("num_features", numFeatures);
        }

        @Override
        public String type() {
            return "batchnorm2d";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            requireImages(input, given, numFeatures, "channels");
            return input.clone();
        }
    }

    /** {@code max(x, 0)}. */
    record ReLU() implements LayerSpec {
        @Override
        public String type() {
            return "relu";
        }
    }

    /** {@code 1 / (1 + e⁻ˣ)}. */
    record Sigmoid() implements LayerSpec {
        @Override
        public String type() {
            return "sigmoid";
        }
    }

    /** {@code tanh x}. */
    record Tanh() implements LayerSpec {
        @Override
        public String type() {
            return "tanh";
        }
    }

    /** {@code x} where positive, {@code negative_slope·x} elsewhere. */
    record LeakyReLU(float negativeSlope) implements LayerSpec {
        public LeakyReLU {
            if (!Float.isFinite(negativeSlope)) {
                throw new IllegalArgumentException("negative_slope must be finite, got " + negativeSlope);
            }
        }

        @Override
        public String type() {
            return "leaky_relu";
        }
    }

    /** {@code x·Φ(x)}. */
    record GELU() implements LayerSpec {
        @Override
        public String type() {
            return "gelu";
        }
    }

    /** Probabilities along {@code dim} of the batched tensor. */
    record Softmax(int dim) implements LayerSpec {
        @Override
        public String type() {
            return "softmax";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            batchedDim("dim", dim, input);
            return input.clone();
        }
    }

    /** Log-probabilities along {@code dim} of the batched tensor. */
    record LogSoftmax(int dim) implements LayerSpec {
        @Override
        public String type() {
            return "log_softmax";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            batchedDim("dim", dim, input);
            return input.clone();
        }
    }

    /** Zeroes each element with probability {@code p} in training. */
    record Dropout(float p) implements LayerSpec {
        public Dropout {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("p must be in [0, 1], got " + p);
            }
        }

        @Override
        public String type() {
            return "dropout";
        }
    }

    /** Merges dimensions {@code start_dim..end_dim} of the batched tensor (which must not include the batch). */
    record Flatten(int startDim, int endDim) implements LayerSpec {
        @Override
        public String type() {
            return "flatten";
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            int start = batchedDim("start_dim", startDim, input);
            int end = batchedDim("end_dim", endDim, input);
            if (start == 0) {
                throw new IllegalArgumentException("start_dim " + startDim + " would merge the batch dimension into"
                        + " the features; use 1 or more");
            }
            if (start > end) {
                throw new IllegalArgumentException("start_dim " + startDim + " comes after end_dim " + endDim
                        + " in the batched shape " + batched(input));
            }
            // Sample dimension d is batched dimension d + 1.
            int[] out = new int[input.length - (end - start)];
            System.arraycopy(input, 0, out, 0, start - 1);
            out[start - 1] = Shape.numel(Arrays.copyOfRange(input, start - 1, end));
            System.arraycopy(input, end, out, start, input.length - end);
            return out;
        }
    }

    /** {@code y = x}. */
    record Identity() implements LayerSpec {
        @Override
        public String type() {
            return "identity";
        }
    }

    // ---------------------------------------------------------------- checks shared by the records

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be ≥ 1, got " + value);
        }
    }

    private static void nonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be ≥ 0, got " + value);
        }
    }

    private static void pooling(int kernelSize, int stride, int padding) {
        positive("kernel_size", kernelSize);
        positive("stride", stride);
        if (padding < 0 || padding > kernelSize / 2) {
            throw new IllegalArgumentException("padding must be between 0 and half the kernel size ("
                    + kernelSize / 2 + "), got " + padding);
        }
    }

    /** Requires {@code [C, H, W]}, and {@code C == channels} unless channels is negative. */
    private static void requireImages(int[] input, String given, int channels, String what) {
        if (input.length != 3) {
            throw new IllegalArgumentException("expects images [C, H, W], " + given + " " + Shape.format(input));
        }
        if (channels >= 0 && input[0] != channels) {
            throw new IllegalArgumentException("expects " + channels + " " + what + ", " + given + " " + input[0]
                    + " (" + Shape.format(input) + ")");
        }
    }

    /** {@code [channels, H', W']} of a window sliding over {@code [C, H, W]}, which must fit. */
    private static int[] window(int[] input, String given, int channels, int kernel, int stride, int padding,
            int dilation) {
        int height = Shape.convolutionOutputSize(input[1], kernel, dilation, padding, stride);
        int width = Shape.convolutionOutputSize(input[2], kernel, dilation, padding, stride);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("a " + kernel + "×" + kernel + " window (stride " + stride + ", padding "
                    + padding + ", dilation " + dilation + ") does not fit in the images: " + given + " "
                    + Shape.format(input));
        }
        return new int[] {channels, height, width};
    }

    /** {@code dim} of the batched tensor {@code [N, *input]}, in {@code [0, rank)}. */
    private static int batchedDim(String field, int dim, int[] input) {
        int rank = input.length + 1;
        if (dim < -rank || dim >= rank) {
            throw new IllegalArgumentException(field + " " + dim + " is out of range for the batched shape "
                    + batched(input) + " (expected " + -rank + " to " + (rank - 1) + ")");
        }
        return dim < 0 ? dim + rank : dim;
    }

    /** {@code [N, d₀, d₁, …]}: a sample's shape with the batch dimension in front. */
    private static String batched(int[] input) {
        return "[N, " + Shape.format(input).substring(1);
    }
}
