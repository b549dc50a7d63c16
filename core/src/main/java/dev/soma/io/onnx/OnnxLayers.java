package dev.soma.io.onnx;

import static dev.soma.io.onnx.OnnxGraph.attribute;

import dev.soma.nn.AdaptiveAvgPool2d;
import dev.soma.nn.AvgPool2d;
import dev.soma.nn.BatchNorm1d;
import dev.soma.nn.BatchNorm2d;
import dev.soma.nn.Conv1d;
import dev.soma.nn.Conv2d;
import dev.soma.nn.ConvTranspose2d;
import dev.soma.nn.Dropout;
import dev.soma.nn.Dropout2d;
import dev.soma.nn.Embedding;
import dev.soma.nn.Flatten;
import dev.soma.nn.GELU;
import dev.soma.nn.Identity;
import dev.soma.nn.LayerNorm;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.LeakyReLU;
import dev.soma.nn.Linear;
import dev.soma.nn.LogSoftmax;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.Pair;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sigmoid;
import dev.soma.nn.Softmax;
import dev.soma.nn.Softplus;
import dev.soma.nn.Tanh;
import dev.soma.nn.Unflatten;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Each layer type that model files hold, as ONNX operators (opset 17) computing what Soma's layer
 * computes in evaluation mode: the one place that knows both. A layer's weights become initializers
 * under their state-dict names ({@code 3.weight}); dropout is the identity, BatchNorm uses its running
 * statistics. Where ONNX has no operator of the same definition, the layer is composed as Soma composes
 * it: GELU from {@code Erf}, Softplus from {@code Exp} and {@code Log} with its thresholds,
 * AdaptiveAvgPool2d as two matrix products with averaging matrices.
 */
final class OnnxLayers {

    /** The layer types {@link #emit} knows, as model files spell them. */
    static final List<String> TYPES = List.of("linear", "conv2d", "conv1d", "conv_transpose2d", "maxpool2d",
            "avgpool2d", "adaptive_avgpool2d", "batchnorm1d", "batchnorm2d", "layernorm", "embedding", "relu",
            "sigmoid", "tanh", "gelu", "leaky_relu", "softplus", "softmax", "log_softmax", "dropout", "dropout2d",
            "identity", "flatten", "unflatten");

    private final OnnxGraph graph;
    private final Map<String, Tensor> state;

    private final String indices;

    /**
     * @param indices the name of the graph's int64 input when it is an embedding's indices, else null
     */
    OnnxLayers(OnnxGraph graph, Map<String, Tensor> state, String indices) {
        this.graph = graph;
        this.state = state;
        this.indices = indices;
    }

    /**
     * Adds the nodes of layer {@code index} of {@code spec}, on {@code x} of one sample's shape
     * {@code in}; returns the name of its output.
     *
     * @throws IllegalArgumentException for a layer type with no ONNX form here, naming it
     */
    String emit(int index, LayerSpec spec, int[] in, String x) {
        graph.scope("layer" + index);
        String p = index + ".";
        int[] out = spec.outputShape(in, "the previous layers give");
        return switch (spec) {
            case Linear.Spec s -> in.length == 1
                    ? graph.node("Gemm", inputs(x, weight(p + "weight"), s.bias() ? weight(p + "bias") : null),
                            attribute("transB", 1))
                    : add(graph.node("MatMul", List.of(x, graph.node("Transpose", List.of(weight(p + "weight"))))),
                            s.bias() ? weight(p + "bias") : null);
            case Conv2d.Spec s -> graph.node("Conv", inputs(x, weight(p + "weight"), s.bias() ? weight(p + "bias") : null),
                    attribute("kernel_shape", longs(s.kernelSize())), attribute("strides", longs(s.stride())),
                    attribute("pads", s.samePadding() ? same(s.kernelSize(), s.dilation()) : pads(s.padding())),
                    attribute("dilations", longs(s.dilation())), attribute("group", s.groups()));
            case Conv1d.Spec s -> graph.node("Conv", inputs(x, weight(p + "weight"), s.bias() ? weight(p + "bias") : null),
                    attribute("kernel_shape", new long[] {s.kernelSize()}), attribute("strides", new long[] {s.stride()}),
                    attribute("pads", s.samePadding()
                            ? new long[] {s.dilation() * (s.kernelSize() - 1) / 2, (s.dilation() * (s.kernelSize() - 1) + 1) / 2}
                            : new long[] {s.padding(), s.padding()}),
                    attribute("dilations", new long[] {s.dilation()}), attribute("group", s.groups()));
            case ConvTranspose2d.Spec s -> graph.node("ConvTranspose",
                    inputs(x, weight(p + "weight"), s.bias() ? weight(p + "bias") : null),
                    attribute("kernel_shape", longs(s.kernelSize())), attribute("strides", longs(s.stride())),
                    attribute("pads", pads(s.padding())), attribute("output_padding", longs(s.outputPadding())),
                    attribute("dilations", longs(s.dilation())), attribute("group", s.groups()));
            case MaxPool2d.Spec s -> maxPool(x, s, windowPads(in, out, s.kernelSize(), s.stride(), s.padding(),
                    s.dilation()));
            case AvgPool2d.Spec s -> averagePool(x, in, out, s);
            case AdaptiveAvgPool2d.Spec s -> adaptiveAveragePool(x, in, s.outputSize());
            case BatchNorm1d.Spec s -> batchNorm(x, p, s.numFeatures(), s.eps(), s.affine());
            case BatchNorm2d.Spec s -> batchNorm(x, p, s.numFeatures(), s.eps(), s.affine());
            case LayerNorm.Spec s -> layerNorm(x, p, s);
            case Embedding.Spec _ -> graph.node("Gather", List.of(weight(p + "weight"), x.equals(indices) ? x
                    : graph.node("Cast", List.of(x), attribute("to", OnnxGraph.INT64))), attribute("axis", 0));
            case LeakyReLU.Spec s -> graph.node("LeakyRelu", List.of(x), attribute("alpha", s.negativeSlope()));
            case Softplus.Spec s -> softplus(x, s.beta(), s.threshold());
            case Softmax.Spec s -> graph.node("Softmax", List.of(x), attribute("axis", s.dim()));
            case LogSoftmax.Spec s -> graph.node("LogSoftmax", List.of(x), attribute("axis", s.dim()));
            case Dropout.Spec _, Dropout2d.Spec _ -> graph.node("Identity", List.of(x));
            case Flatten.Spec _, Unflatten.Spec _ -> graph.node("Reshape", List.of(x, graph.int64s("shape", batched(out))));
            default -> withoutArgs(spec, x);
        };
    }

    private String withoutArgs(LayerSpec spec, String x) {
        if (spec == ReLU.SPEC) {
            return graph.node("Relu", List.of(x));
        } else if (spec == Sigmoid.SPEC) {
            return graph.node("Sigmoid", List.of(x));
        } else if (spec == Tanh.SPEC) {
            return graph.node("Tanh", List.of(x));
        } else if (spec == Identity.SPEC) {
            return graph.node("Identity", List.of(x));
        } else if (spec == GELU.SPEC) {
            // x/2 · (1 + erf(x/√2)), in Soma's order (Elementwise.gelu)
            String erf = graph.node("Erf", List.of(graph.node("Mul", List.of(x, scalar("inv_sqrt2",
                    (float) (1 / Math.sqrt(2)))))));
            return graph.node("Mul", List.of(graph.node("Mul", List.of(x, scalar("half", 0.5f))),
                    graph.node("Add", List.of(erf, scalar("one", 1)))));
        }
        throw new IllegalArgumentException("the layer type '" + spec.type() + "' has no ONNX form; ONNX export"
                + " supports " + String.join(", ", TYPES));
    }

    /**
     * Soma's softplus with β and threshold (Softplus.softplus): with z = βx, {@code x} where z > threshold,
     * else {@code softplus(z)/β}, softplus itself {@code z} above 20 and {@code ln(1 + e^min(z, 20))} below.
     */
    private String softplus(String x, float beta, float threshold) {
        String z = beta == 1 ? x : graph.node("Mul", List.of(x, scalar("beta", beta)));
        String twenty = scalar("twenty", 20);
        String smooth = graph.node("Log", List.of(graph.node("Add", List.of(
                graph.node("Exp", List.of(graph.node("Min", List.of(z, twenty)))), scalar("one", 1)))));
        smooth = graph.node("Where", List.of(graph.node("Greater", List.of(z, twenty)), z, smooth));
        if (beta != 1) {
            smooth = graph.node("Div", List.of(smooth, scalar("beta", beta)));
        }
        return graph.node("Where", List.of(graph.node("Greater", List.of(z, scalar("threshold", threshold))), x, smooth));
    }

    /** Rows then columns averaged by matrices, {@code P_H · x · P_Wᵀ}, as AdaptiveAvgPool2d computes it. */
    private String adaptiveAveragePool(String x, int[] in, Pair size) {
        String rows = graph.node("MatMul", List.of(averaging("rows", size.h(), in[1], false), x));
        return graph.node("MatMul", List.of(rows, averaging("columns", size.w(), in[2], true)));
    }

    /** {@code P [out, in]} with {@code 1/|window|} over each output's window (or its transpose). */
    private String averaging(String what, int out, int in, boolean transposed) {
        float[] p = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = Math.floorDiv(i * in, out);
            int end = Math.ceilDiv((i + 1) * in, out);
            for (int r = start; r < end; r++) {
                p[transposed ? r * out + i : i * in + r] = 1f / (end - start);
            }
        }
        return transposed ? graph.constant(what, p, in, out) : graph.constant(what, p, out, in);
    }

    private String batchNorm(String x, String p, int channels, float eps, boolean affine) {
        String scale = affine ? weight(p + "weight") : filled("scale", 1, channels);
        String shift = affine ? weight(p + "bias") : filled("shift", 0, channels);
        return graph.node("BatchNormalization", List.of(x, scale, shift, weight(p + "running_mean"),
                weight(p + "running_var")), attribute("epsilon", eps));
    }

    private String layerNorm(String x, String p, LayerNorm.Spec s) {
        int[] shape = s.normalizedShape().stream().mapToInt(Integer::intValue).toArray();
        List<String> inputs = s.elementwiseAffine() ? List.of(x, weight(p + "weight"), weight(p + "bias"))
                : List.of(x, filled("scale", 1, shape));
        return graph.node("LayerNormalization", inputs, attribute("axis", -shape.length),
                attribute("epsilon", s.eps()), attribute("stash_type", 1));
    }

    /**
     * Max pooling over the padded input. onnxruntime takes pads smaller than the kernel only, which
     * ceil mode's overhang with dilation can exceed; then the padding is a {@code Pad} node of −∞ first.
     */
    private String maxPool(String x, MaxPool2d.Spec s, long[] pads) {
        Pair k = s.kernelSize();
        if (pads[0] >= k.h() || pads[2] >= k.h() || pads[1] >= k.w() || pads[3] >= k.w()) {
            x = graph.node("Pad", List.of(x, graph.int64s("pads", 0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]),
                    scalar("minus_infinity", Float.NEGATIVE_INFINITY)), attribute("mode", "constant"));
            pads = new long[4];
        }
        return graph.node("MaxPool", List.of(x), attribute("kernel_shape", longs(k)),
                attribute("strides", longs(s.stride())), attribute("pads", pads),
                attribute("dilations", longs(s.dilation())), attribute("ceil_mode", 0));
    }

    /**
     * Average pooling with PyTorch's divisors: {@code AveragePool} over windows that all lie inside the
     * padded input (so that it divides every sum by {@code kh·kw}), then, where a window's divisor
     * differs (ceil mode's overhang, {@code count_include_pad = false}, {@code divisor_override}), a
     * product with {@code kh·kw / divisor} per output position.
     */
    private String averagePool(String x, int[] in, int[] out, AvgPool2d.Spec s) {
        Pair k = s.kernelSize();
        String pooled = graph.node("AveragePool", List.of(x), attribute("kernel_shape", longs(k)),
                attribute("strides", longs(s.stride())),
                attribute("pads", windowPads(in, out, k, s.stride(), s.padding(), Pair.of(1))),
                attribute("count_include_pad", 1), attribute("ceil_mode", 0));
        float[] factors = new float[out[1] * out[2]];
        boolean whole = true;
        for (int y = 0; y < out[1]; y++) {
            for (int z = 0; z < out[2]; z++) {
                int divisor = s.divisorOverride() != null ? s.divisorOverride()
                        : count(s, y, in[1], k.h(), s.stride().h(), s.padding().h())
                                * count(s, z, in[2], k.w(), s.stride().w(), s.padding().w());
                factors[y * out[2] + z] = (float) (k.h() * k.w()) / divisor;
                whole &= divisor == k.h() * k.w();
            }
        }
        return whole ? pooled : graph.node("Mul", List.of(pooled, graph.constant("divisors", factors, out[1], out[2])));
    }

    /** How many of window {@code o}'s positions along one axis PyTorch divides by (AvgPool2d's rule). */
    private static int count(AvgPool2d.Spec s, int o, int size, int kernel, int stride, int padding) {
        int start = o * stride - padding;
        int end = Math.min(start + kernel, size + padding);
        return s.countIncludePad() ? end - start : Math.min(end, size) - Math.max(start, 0);
    }

    /**
     * A pooling's pads: the padding before H and W, and after them as much as the last window reaches
     * (ceil mode's overhang included, nothing it does not reach), so that every window is whole and
     * ONNX's floor rule gives PyTorch's output size.
     */
    private static long[] windowPads(int[] in, int[] out, Pair kernel, Pair stride, Pair padding, Pair dilation) {
        long endH = (long) (out[1] - 1) * stride.h() + (long) dilation.h() * (kernel.h() - 1) + 1 - in[1] - padding.h();
        long endW = (long) (out[2] - 1) * stride.w() + (long) dilation.w() * (kernel.w() - 1) + 1 - in[2] - padding.w();
        return new long[] {padding.h(), padding.w(), Math.max(0, endH), Math.max(0, endW)};
    }

    private String add(String x, String bias) {
        return bias == null ? x : graph.node("Add", List.of(x, bias));
    }

    /** A state-dict tensor as an initializer of the same name and shape (added once). */
    private String weight(String name) {
        Tensor t = state.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the model has no tensor " + name);
        }
        return graph.weight(name, t.toArray(), t.shape());
    }

    private String scalar(String what, float value) {
        return graph.constant(what, new float[] {value});
    }

    private String filled(String what, float value, int... shape) {
        float[] values = new float[Arrays.stream(shape).reduce(1, Math::multiplyExact)];
        Arrays.fill(values, value);
        return graph.constant(what, values, shape);
    }

    private static List<String> inputs(String x, String weight, String bias) {
        return bias == null ? List.of(x, weight) : List.of(x, weight, bias);
    }

    private static long[] longs(Pair pair) {
        return new long[] {pair.h(), pair.w()};
    }

    /** ONNX's pads: the starts of H and W, then their ends. */
    private static long[] pads(Pair padding) {
        return new long[] {padding.h(), padding.w(), padding.h(), padding.w()};
    }

    /** {@code padding="same"}: {@code d·(k − 1)} in all, the odd one at the end (bottom, right). */
    private static long[] same(Pair kernel, Pair dilation) {
        int h = dilation.h() * (kernel.h() - 1);
        int w = dilation.w() * (kernel.w() - 1);
        return new long[] {h / 2, w / 2, h - h / 2, w - w / 2};
    }

    /** {@code [-1, sample…]}: a Reshape's target that keeps the batch. */
    private static long[] batched(int[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = -1;
        for (int i = 0; i < sample.length; i++) {
            shape[i + 1] = sample[i];
        }
        return shape;
    }
}
