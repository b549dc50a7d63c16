package dev.soma.spiking;

import dev.soma.nn.AvgPool2d;
import dev.soma.nn.BatchNorm;
import dev.soma.nn.Conv2d;
import dev.soma.nn.Dropout;
import dev.soma.nn.Flatten;
import dev.soma.nn.Identity;
import dev.soma.nn.Linear;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.Pair;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a trained ReLU network becomes before any weight is scaled: its layers read from a
 * {@code Sequential} into stages, each an ANN computation that {@link ConvertedNetwork} calibrates
 * and then turns into a {@link SpikingLayer}.
 *
 * <p>Accepted, in order: {@code Conv2d} or {@code Linear}, optionally followed by {@code BatchNorm}
 * (folded into its weights and bias, {@link #foldBatchNorm}), then {@code ReLU} (optional after the
 * last one); {@code MaxPool2d} (dilation 1) and {@code AvgPool2d} (padding counted, no divisor
 * override) after a ReLU, with square windows and no partial ceil-mode window (other settings are
 * refused by name); {@code Flatten}
 * anywhere; {@code Dropout} and {@code Identity} are skipped (no-ops in evaluation). Soma's {@code mlp}
 * and {@code cnn} models fit.
 */
public final class ConversionPlan {

    /** One step of the ANN, its output shape, and how it becomes spiking. */
    sealed interface Stage permits Affine, MaxPool, AveragePool {

        /** The ANN's output for {@code x} {@code [N, …]}, ReLU applied (also after the last layer). */
        Tensor forward(Tensor x);

        int[] outputShape();

        /** Whether its output gets a scale of its own; a max-pooling keeps its input's. */
        boolean rescales();

        /** The spiking layer, weights times {@code inScale/outScale}, biases over {@code outScale}. */
        SpikingLayer spiking(double inScale, double outScale);
    }

    /** A Linear ({@code convolution} null) or Conv2d layer, BatchNorm folded in. */
    record Affine(Tensor weight, Tensor bias, int[] inputShape, int[] outputShape, Conv2d.Spec convolution)
            implements Stage {
        @Override
        public Tensor forward(Tensor x) {
            int n = x.size(0);
            if (convolution == null) {
                Tensor y = x.reshape(n, weight.size(1)).matmul(weight.t());
                return (bias == null ? y : y.add(bias)).relu();
            }
            Tensor images = x.reshape(n, inputShape[0], inputShape[1], inputShape[2]);
            return images.conv2d(weight, bias, convolution.stride().h(), convolution.padding().h(), convolution.dilation().h())
                    .relu();
        }

        @Override
        public boolean rescales() {
            return true;
        }

        @Override
        public SpikingLayer spiking(double inScale, double outScale) {
            float factor = (float) (inScale / outScale);
            float biasFactor = (float) (1 / outScale);
            return convolution == null ? new DenseLayer(weight, bias, factor, biasFactor)
                    : new ConvolutionLayer(weight, bias, inputShape, convolution.stride().h(),
                            convolution.padding().h(), convolution.dilation().h(), factor, biasFactor);
        }
    }

    /** A max-pooling: a gate on spikes. */
    record MaxPool(MaxPool2d.Spec spec, int[] inputShape, int[] outputShape) implements Stage {
        @Override
        public Tensor forward(Tensor x) {
            return MaxPool2d.maxPool2d(images(x, inputShape), spec);
        }

        @Override
        public boolean rescales() {
            return false;
        }

        @Override
        public SpikingLayer spiking(double inScale, double outScale) {
            return new PoolGate(inputShape, spec.kernelSize().h(), spec.stride().h(), spec.padding().h());
        }
    }

    /** An average pooling: a linear layer of integrate-and-fire neurons. */
    record AveragePool(AvgPool2d.Spec spec, int[] inputShape, int[] outputShape) implements Stage {
        @Override
        public Tensor forward(Tensor x) {
            return AvgPool2d.avgPool2d(images(x, inputShape), spec);
        }

        @Override
        public boolean rescales() {
            return true;
        }

        @Override
        public SpikingLayer spiking(double inScale, double outScale) {
            return new AveragePoolLayer(inputShape, spec.kernelSize().h(), spec.stride().h(), spec.padding().h(),
                    (float) (inScale / outScale));
        }
    }

    private final int[] inputShape;
    private final List<Stage> stages;

    private ConversionPlan(int[] inputShape, List<Stage> stages) {
        this.inputShape = inputShape;
        this.stages = List.copyOf(stages);
    }

    /** The input shape of one example, {@code [C, H, W]} or {@code [F]}. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Whether a convolution is among the layers. */
    public boolean convolutional() {
        return stages.stream().anyMatch(s -> s instanceof Affine affine && affine.convolution() != null);
    }

    List<Stage> stages() {
        return stages;
    }

    /**
     * Reads {@code model} (not modified) for examples of {@code inputShape} (without the batch).
     *
     * @throws IllegalArgumentException naming the first layer that does not fit
     */
    public static ConversionPlan of(Module model, int[] inputShape) {
        if (!(model instanceof Sequential sequential)) {
            throw new IllegalArgumentException("only a Sequential of Linear/Conv2d, BatchNorm, ReLU and pooling layers"
                    + " converts, got " + model.getClass().getSimpleName());
        }
        List<Stage> stages = new ArrayList<>();
        int[] shape = inputShape.clone();
        boolean nonNegative = true; // the input is an image: intensities ≥ 0
        Affine open = null;         // the last affine stage, until its ReLU
        boolean normalised = false; // whether open has a BatchNorm folded in
        for (int i = 0; i < sequential.size(); i++) {
            Module layer = sequential.get(i);
            String name = layer.getClass().getSimpleName();
            if (layer instanceof Flatten) {
                shape = new int[] {numel(shape)};
            } else if (layer instanceof Dropout || layer instanceof Identity) {
                continue;
            } else if (open == null && (layer instanceof Linear || layer instanceof Conv2d)) {
                open = affine(i, layer, shape);
                shape = open.outputShape();
                nonNegative = false;
                normalised = false;
            } else if (open != null && !normalised && layer instanceof BatchNorm norm) {
                requireChannels(i, norm, open);
                Tensor[] folded = foldBatchNorm(open.weight(), open.bias(), norm);
                open = new Affine(folded[0], folded[1], open.inputShape(), open.outputShape(), open.convolution());
                normalised = true;
            } else if (open != null && layer instanceof ReLU) {
                stages.add(open);
                open = null;
                nonNegative = true;
            } else if (open == null && nonNegative && shape.length == 3 && layer instanceof MaxPool2d pool) {
                MaxPool2d.Spec spec = pool.spec();
                requireConvertible(i, name, shape, spec.kernelSize(), spec.stride(), spec.padding(), spec.ceilMode());
                if (!spec.dilation().equals(Pair.of(1))) {
                    throw new IllegalArgumentException(refusal(i, name, "dilation=" + spec.dilation()));
                }
                int[] out = pooled(shape, spec.kernelSize().h(), spec.stride().h(), spec.padding().h());
                stages.add(new MaxPool(spec, shape, out));
                shape = out;
            } else if (open == null && nonNegative && shape.length == 3 && layer instanceof AvgPool2d pool) {
                AvgPool2d.Spec spec = pool.spec();
                requireConvertible(i, name, shape, spec.kernelSize(), spec.stride(), spec.padding(), spec.ceilMode());
                if (!spec.countIncludePad() && (spec.padding().h() > 0 || spec.padding().w() > 0)) {
                    throw new IllegalArgumentException(refusal(i, name, "count_include_pad=False with padding"));
                }
                if (spec.divisorOverride() != null) {
                    throw new IllegalArgumentException(refusal(i, name, "divisor_override=" + spec.divisorOverride()));
                }
                int[] out = pooled(shape, spec.kernelSize().h(), spec.stride().h(), spec.padding().h());
                stages.add(new AveragePool(spec, shape, out));
                shape = out;
            } else {
                throw new IllegalArgumentException("layer " + i + " is " + name + ": only Linear or Conv2d layers"
                        + " (each with an optional BatchNorm, then ReLU, the last one optionally), max- or average"
                        + " pooling after a ReLU, and Flatten convert to integrate-and-fire neurons");
            }
        }
        if (open != null) {
            stages.add(open); // the output layer, without ReLU
        }
        if (stages.isEmpty() || !(stages.getFirst() instanceof Affine)) {
            throw new IllegalArgumentException("the model must start with a Linear or Conv2d layer (after Flatten),"
                    + " the one the image drives");
        }
        if (!(stages.getLast() instanceof Affine)) {
            throw new IllegalArgumentException("the model must end with a Linear or Conv2d layer to read the class"
                    + " from, got " + (stages.isEmpty() ? "no layer" : stages.getLast().getClass().getSimpleName()));
        }
        return new ConversionPlan(inputShape.clone(), stages);
    }

    private static Affine affine(int index, Module layer, int[] shape) {
        if (layer instanceof Linear linear) {
            if (numel(shape) != linear.inFeatures()) {
                throw new IllegalArgumentException("layer " + index + " takes " + linear.inFeatures() + " inputs after "
                        + numel(shape) + " (" + Arrays.toString(shape) + ")");
            }
            return new Affine(linear.weight(), linear.bias(), shape, new int[] {linear.outFeatures()}, null);
        }
        Conv2d conv = (Conv2d) layer;
        Conv2d.Spec spec = conv.spec();
        if (shape.length != 3 || shape[0] != conv.inChannels()) {
            throw new IllegalArgumentException("layer " + index + " takes images of " + conv.inChannels()
                    + " channels, got " + Arrays.toString(shape));
        }
        if (!spec.kernelSize().square() || !spec.stride().square() || !spec.padding().square()
                || !spec.dilation().square() || spec.samePadding() || spec.groups() != 1) {
            throw new IllegalArgumentException("layer " + index + ": conversion takes square convolutions with"
                    + " numeric padding and groups 1, got " + spec.args());
        }
        Windows windows = new Windows(shape[1], shape[2], spec.kernelSize().h(), spec.stride().h(),
                spec.padding().h(), spec.dilation().h());
        return new Affine(conv.weight(), conv.bias(), shape,
                new int[] {conv.outChannels(), windows.outHeight, windows.outWidth}, spec);
    }

    private static void requireChannels(int index, BatchNorm norm, Affine open) {
        if (norm.numFeatures() != open.outputShape()[0]) {
            throw new IllegalArgumentException("layer " + index + " normalises " + norm.numFeatures()
                    + " features after a layer of " + open.outputShape()[0]);
        }
    }

    /**
     * BatchNorm in evaluation folded into the layer before it: with {@code s = γ/√(σ² + ε)} per output
     * channel, {@code W' = s·W} (each output's weights), {@code b' = s·(b − μ) + β}, so that
     * {@code W'x + b' = BN(Wx + b)}. {@code weight} {@code [out, …]}, {@code bias} {@code [out]} (may be
     * null) and {@code norm} are not modified; returns the new weight and bias.
     */
    public static Tensor[] foldBatchNorm(Tensor weight, Tensor bias, BatchNorm norm) {
        int out = weight.size(0);
        float[] w = weight.toArray();
        float[] b = bias == null ? new float[out] : bias.toArray();
        float[] mean = norm.runningMean().toArray();
        float[] variance = norm.runningVar().toArray();
        float[] gamma = norm.weight() == null ? null : norm.weight().toArray();
        float[] beta = norm.bias() == null ? null : norm.bias().toArray();
        int perOutput = w.length / out;
        float[] foldedBias = new float[out];
        for (int o = 0; o < out; o++) {
            double s = (gamma == null ? 1 : gamma[o]) / Math.sqrt(variance[o] + (double) norm.eps());
            for (int k = 0; k < perOutput; k++) {
                w[o * perOutput + k] = (float) (s * w[o * perOutput + k]);
            }
            foldedBias[o] = (float) (s * (b[o] - mean[o]) + (beta == null ? 0 : beta[o]));
        }
        return new Tensor[] {Tensor.of(w, weight.shape()), Tensor.of(foldedBias, out)};
    }

    /** {@code bias} (null: zeros) times {@code factor}, as a new array of {@code size}. */
    static float[] scaled(Tensor bias, int size, float factor) {
        float[] b = bias == null ? new float[size] : bias.toArray();
        for (int j = 0; j < size; j++) {
            b[j] *= factor;
        }
        return b;
    }

    /**
     * Refuses, by name, a pooling setting the spiking layers do not compute: windows other than square,
     * or a {@code ceil_mode} that keeps a partial last window for this input.
     */
    private static void requireConvertible(int index, String name, int[] shape, Pair kernel, Pair stride,
                                           Pair padding, boolean ceilMode) {
        for (var setting : List.of(java.util.Map.entry("kernel_size", kernel), java.util.Map.entry("stride", stride),
                java.util.Map.entry("padding", padding))) {
            if (!setting.getValue().square()) {
                throw new IllegalArgumentException(refusal(index, name, setting.getKey() + "=" + setting.getValue()));
            }
        }
        for (int axis = 1; ceilMode && axis <= 2; axis++) {
            if (Shape.poolingOutputSize(shape[axis], kernel.h(), 1, padding.h(), stride.h(), true)
                    != Shape.poolingOutputSize(shape[axis], kernel.h(), 1, padding.h(), stride.h(), false)) {
                throw new IllegalArgumentException(refusal(index, name, "ceil_mode=True (a partial last window on "
                        + Arrays.toString(shape) + ")"));
            }
        }
    }

    private static String refusal(int index, String name, String setting) {
        return "layer " + index + " (" + name + "): " + setting + " does not convert; the spiking pooling layers"
                + " take square, whole windows, padding counted";
    }

    private static int[] pooled(int[] shape, int kernel, int stride, int padding) {
        Windows windows = new Windows(shape[1], shape[2], kernel, stride, padding, 1);
        return new int[] {shape[0], windows.outHeight, windows.outWidth};
    }

    private static Tensor images(Tensor x, int[] shape) {
        return x.reshape(x.size(0), shape[0], shape[1], shape[2]);
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
