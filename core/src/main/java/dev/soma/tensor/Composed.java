package dev.soma.tensor;

/**
 * The readable form of each op that also has a fused one: its definition, written as a composition of
 * differentiable primitives, so that its backward is autograd's chain rule through them and nothing
 * here has a backward rule of its own. Read these for the math; the fused siblings ({@link Fused},
 * {@link Conv2dOp}, {@link Pooling}) compute the same values in fewer, faster passes, and {@link Ops}
 * chooses between the two. Tests hold every fused op to its composed form, values and gradients.
 *
 * <p>Each takes the arguments its fused sibling takes and rejects the same shapes with the same checks.
 */
final class Composed {

    private Composed() {
    }

    /** {@code input·weightᵀ + bias}: input {@code [*, in]}, weight {@code [out, in]}, bias {@code [out]} or null. */
    static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        Fused.checkLinear(input, weight, bias);
        Tensor product = input.matmul(weight.t());
        return bias == null ? product : product.add(bias);
    }

    /**
     * The convolution as one product with the unfolded windows (im2col): with
     * {@code X = unfold(x) [N, C·kh·kw, L]}, {@code out[n] = W.view(O, C·kh·kw) · X[n] + b}, viewed as
     * {@code [N, O, outH, outW]}. Backward is matmul's ({@code ∂W = Σₙ G[n]·X[n]ᵀ}, {@code ∂X = Wᵀ·G})
     * and then unfold's, which folds ∂X back onto the input.
     */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        return conv2d(x, weight, bias, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {dilation, dilation});
    }

    /** {@link #conv2d(Tensor, Tensor, Tensor, int, int, int)} with each setting {@code {along H, along W}}. */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        Conv2dOp.checkShapes(x, weight, bias);
        int[] kernel = weight.shape;
        Tensor columns = x.unfold(kernel[2], kernel[3], dilation[0], dilation[1], padding[0], padding[1], stride[0],
                stride[1]);
        int outH = Shape.convolutionOutputSize(x.shape[2], kernel[2], dilation[0], padding[0], stride[0]);
        int outW = Shape.convolutionOutputSize(x.shape[3], kernel[3], dilation[1], padding[1], stride[1]);
        Tensor out = weight.reshape(kernel[0], kernel[1] * kernel[2] * kernel[3]).matmul(columns)
                .view(x.shape[0], kernel[0], outH, outW);
        return bias == null ? out : out.add(bias.view(kernel[0], 1, 1));
    }

    /**
     * A convolution in {@code groups} groups, as the groups' own convolutions side by side: group g
     * convolves input channels {@code [g·C/G, (g+1)·C/G)} with output channels {@code [g·O/G, (g+1)·O/G)}
     * of the weight {@code [O, C/G, kh, kw]}, and the results are concatenated along the channels.
     * Backward is narrow's and cat's.
     */
    static Tensor groupedConv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        int[] kernel = weight.shape;
        if (groups < 1 || x.shape.length != 4 || kernel.length != 4 || kernel[0] % groups != 0
                || x.shape[1] != groups * kernel[1]) {
            throw new IllegalArgumentException("conv2d: input " + Shape.format(x.shape) + " and weight "
                    + Shape.format(kernel) + " do not match " + groups + " groups: expected input [N, C, H, W] and"
                    + " weight [out, C/groups, kh, kw], out and C divisible by groups");
        }
        int in = kernel[1];
        int out = kernel[0] / groups;
        java.util.List<Tensor> parts = new java.util.ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            parts.add(Ops.conv2d(x.narrow(1, g * in, in), weight.narrow(0, g * out, out),
                    bias == null ? null : bias.narrow(0, g * out, out), stride, padding, dilation, 1));
        }
        return Tensor.cat(parts, 1);
    }

    /** {@code conv2d(…).relu()}, and with {@code maxPool2} then {@code maxPool2d(2, 2, 0, 1)}. */
    static Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                             boolean maxPool2) {
        Tensor activated = conv2d(x, weight, bias, stride, padding, dilation).relu();
        if (!maxPool2) {
            return activated;
        }
        Conv2dOp.checkPoolable(activated.shape);
        return maxPool2d(activated, 2, 2, 0, 1);
    }

    /**
     * Max pooling as the largest element of each window: unfold lays the windows out along one
     * dimension, padded with −∞ so that padding never wins; argmax picks each window's first maximum and
     * gather takes it, so gather's backward sends the gradient to that one element, as PyTorch's
     * ({@code max} would share it among ties).
     */
    static Tensor maxPool2d(Tensor x, int kernelSize, int stride, int padding, int dilation) {
        int[] k = Pooling.pair(kernelSize);
        return maxPool2d(x, k, Pooling.pair(stride), Pooling.pair(padding), Pooling.pair(dilation), false);
    }

    /**
     * As {@link #maxPool2d(Tensor, int, int, int, int)}, each setting {@code {along H, along W}}; with
     * {@code ceilMode} the input is first extended by −∞ rows (columns) below (right of) the padding, as
     * many as the last window hangs past it.
     */
    static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Pooling.checkArguments(x, kernel, stride, padding, dilation, ceilMode);
        int outH = Shape.poolingOutputSize(x.shape[2], kernel[0], dilation[0], padding[0], stride[0], ceilMode);
        int outW = Shape.poolingOutputSize(x.shape[3], kernel[1], dilation[1], padding[1], stride[1], ceilMode);
        Tensor extended = extend(x, 2, (outH - 1) * stride[0] + dilation[0] * (kernel[0] - 1) + 1
                - (x.shape[2] + 2 * padding[0]), Float.NEGATIVE_INFINITY);
        extended = extend(extended, 3, (outW - 1) * stride[1] + dilation[1] * (kernel[1] - 1) + 1
                - (x.shape[3] + 2 * padding[1]), Float.NEGATIVE_INFINITY);
        Tensor windows = extended.unfold(kernel[0], kernel[1], dilation[0], dilation[1], padding[0], padding[1],
                stride[0], stride[1], Float.NEGATIVE_INFINITY).view(x.shape[0], x.shape[1], kernel[0] * kernel[1], outH * outW);
        Tensor first = windows.argmax(2, true);
        return windows.gather(2, first).view(x.shape[0], x.shape[1], outH, outW);
    }

    /** {@code x} with {@code extra} rows ({@code dim} 2) or columns (3) of {@code value} appended; itself if none. */
    private static Tensor extend(Tensor x, int dim, int extra, float value) {
        if (extra <= 0) {
            return x;
        }
        int[] shape = x.shape.clone();
        shape[dim] = extra;
        return Tensor.cat(java.util.List.of(x, Tensor.full(value, shape)), dim);
    }

    /**
     * Binary cross-entropy per element, {@code ℓ = −(y·ln x + (1 − y)·ln(1 − x))}, each logarithm
     * clamped at −100 as PyTorch's, so that a probability of exactly 0 or 1 gives a finite loss and
     * gradient. The gradient is the logarithms' (clamped ones pass none); it equals the fused op's
     * PyTorch rule {@code (x − y)/max(x·(1 − x), 1e-12)} except at x exactly 0 or 1, where only the
     * fused op follows PyTorch.
     */
    static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        Fused.checkSameShape(input, target);
        Tensor logX = clampedLog(input);
        Tensor logNotX = clampedLog(input.neg().add(1));
        return target.mul(logX).add(target.neg().add(1).mul(logNotX)).neg();
    }

    /** {@code max(ln v, −100)} for v ≥ 0. */
    private static Tensor clampedLog(Tensor v) {
        // NOTE: v is first raised to the smallest float (ln of it is −103, clamped to −100 all the same):
        // at v = 0, ln v = −∞ and its backward 0/v would be 0/0 = NaN, although the clamp passes no gradient.
        return v.clamp(Float.MIN_VALUE, Float.POSITIVE_INFINITY).log().clamp(-100, Float.POSITIVE_INFINITY);
    }
}
