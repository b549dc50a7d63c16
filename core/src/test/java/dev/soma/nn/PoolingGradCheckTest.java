package dev.soma.nn;

import dev.soma.tensor.Tensor;
import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import dev.soma.testing.Values;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pooling's options checked in double precision ({@link GradCheck}), as LayerGradCheckTest checks
 * issue 17's layers: max and average pooling with ceil mode, per-axis windows, dilation, padding not
 * counted and a divisor override, and max unpooling, each against a reference written from the
 * definition, window by window, with every gradient against central finite differences.
 * PoolingParityTest holds the same options to PyTorch's numbers.
 *
 * <p>The references count windows as the definition says rather than by Soma's closed form: whole
 * windows while they fit the padded input, then, in ceil mode, one partial window when the last
 * whole one left some of the padded input uncovered and the partial one starts before the padding
 * after the input.
 */
class PoolingGradCheckTest {

    static Stream<GradCheck> checks() {
        // distinct values, so that no window's maximum is a tie a finite-difference step could flip
        Values distinct = Values.distinct(-2, 2);
        MaxPool2d.Spec ceilPadded = new MaxPool2d.Spec(2, 2, 1, 1).ceilMode(true);
        MaxPool2d.Spec skewed = new MaxPool2d.Spec(new Pair(2, 3)).stride(new Pair(1, 2)).padding(new Pair(1, 1))
                .dilation(new Pair(2, 1)).ceilMode(true);
        MaxPool2d.Spec partial = new MaxPool2d.Spec(new Pair(3, 2)).stride(new Pair(2, 1)).ceilMode(true);
        // windows that do not overlap: with repeated indices PyTorch's gradient is its gather rule (each
        // input gets the output's gradient at its index, even one overwritten), not the derivative of the
        // forward, so those cases are held to PyTorch's numbers in PoolingParityTest instead
        MaxPool2d.Spec wholeStrides = new MaxPool2d.Spec(new Pair(2, 3)).ceilMode(true);
        AvgPool2d.Spec notCounted = new AvgPool2d.Spec(3, 2, 1).countIncludePad(false);
        AvgPool2d.Spec ceilCounted = new AvgPool2d.Spec(3, 2, 1).ceilMode(true);
        AvgPool2d.Spec ceilNotCounted = new AvgPool2d.Spec(new Pair(3, 2)).stride(new Pair(2, 3))
                .padding(new Pair(1, 1)).ceilMode(true).countIncludePad(false);
        AvgPool2d.Spec divided = new AvgPool2d.Spec(2, 1, 1).divisorOverride(3);
        return Stream.of(
                GradCheck.of("max_pool2d 2, stride 2, padding 1, ceil_mode (a window dropped)",
                        t -> MaxPool2d.maxPool2d(t[0], ceilPadded), r -> maxPool(r[0], ceilPadded))
                        .input(distinct, 1, 2, 5, 5),
                GradCheck.of("max_pool2d (2, 3), stride (1, 2), padding (1, 1), dilation (2, 1), ceil_mode",
                        t -> MaxPool2d.maxPool2d(t[0], skewed), r -> maxPool(r[0], skewed))
                        .input(distinct, 2, 1, 5, 6),
                GradCheck.of("max_pool2d (3, 2), stride (2, 1), ceil_mode (partial windows)",
                        t -> MaxPool2d.maxPool2d(t[0], partial), r -> maxPool(r[0], partial))
                        .input(distinct, 1, 2, 6, 4),
                GradCheck.of("avg_pool2d 3, stride 2, padding 1, count_include_pad false",
                        t -> AvgPool2d.avgPool2d(t[0], notCounted), r -> avgPool(r[0], notCounted))
                        .input(2, 1, 5, 6),
                GradCheck.of("avg_pool2d 3, stride 2, padding 1, ceil_mode",
                        t -> AvgPool2d.avgPool2d(t[0], ceilCounted), r -> avgPool(r[0], ceilCounted))
                        .input(1, 2, 6, 6),
                GradCheck.of("avg_pool2d (3, 2), stride (2, 3), padding (1, 1), ceil_mode, count_include_pad false",
                        t -> AvgPool2d.avgPool2d(t[0], ceilNotCounted), r -> avgPool(r[0], ceilNotCounted))
                        .input(1, 1, 6, 7),
                GradCheck.of("avg_pool2d 2, stride 1, padding 1, divisor_override 3",
                        t -> AvgPool2d.avgPool2d(t[0], divided), r -> avgPool(r[0], divided))
                        .input(1, 2, 3, 4),
                GradCheck.of("max_unpool2d 2 to 5×5",
                        t -> MaxUnpool2d.maxUnpool2d(t[0], t[1].toLong(), Pair.of(2), Pair.of(2), Pair.of(0),
                                new int[] {5, 5}),
                        r -> unpool(r[0], r[1], 5, 5))
                        .input(2, 2, 2, 2).constant(Values.fixed(0, 6, 7, 24, 3, 2, 12, 0, 1, 2, 3, 4, 24, 18, 6, 0),
                                2, 2, 2, 2),
                GradCheck.of("max_unpool2d of max_pool2d (2, 3), stride (2, 3), ceil_mode",
                        t -> {
                            Tensor.ValuesAndIndices pooled = MaxPool2d.maxPool2dWithIndices(t[0], wholeStrides);
                            return MaxUnpool2d.maxUnpool2d(pooled.values(), pooled.indices(), new Pair(2, 3),
                                    new Pair(2, 3), Pair.of(0), new int[] {5, 7});
                        },
                        r -> unpoolOfMax(r[0], wholeStrides))
                        .input(distinct, 1, 2, 5, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void poolingMatchesItsDefinition(GradCheck check) {
        check.run();
    }

    /** The number of windows along one axis of {@code size}, counted window by window (see the class comment). */
    static int windows(int size, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        int span = dilation * (kernel - 1) + 1;
        int padded = size + 2 * padding;
        int n = 0;
        while (n * stride + span <= padded) {
            n++;
        }
        if (ceilMode && n > 0 && (n - 1) * stride + span < padded && n * stride < size + padding) {
            n++;
        }
        return n;
    }

    /** Each window's largest element inside the input. */
    static Ref maxPool(Ref x, MaxPool2d.Spec spec) {
        return pool(x, spec.kernelSize(), spec.stride(), spec.padding(), spec.dilation(), spec.ceilMode(),
                (sum, max, inside, padCounted) -> max);
    }

    /** Each window's sum inside the input over its divisor: the override, or the positions counted. */
    static Ref avgPool(Ref x, AvgPool2d.Spec spec) {
        return pool(x, spec.kernelSize(), spec.stride(), spec.padding(), Pair.of(1), spec.ceilMode(),
                (sum, max, inside, padCounted) -> sum / (spec.divisorOverride() != null ? spec.divisorOverride()
                        : spec.countIncludePad() ? padCounted : inside));
    }

    private interface Reduce {
        double apply(double sum, double max, int inside, int padCounted);
    }

    private static Ref pool(Ref x, Pair k, Pair s, Pair p, Pair d, boolean ceil, Reduce reduce) {
        int[] shape = x.shape();
        int outH = windows(shape[2], k.h(), s.h(), p.h(), d.h(), ceil);
        int outW = windows(shape[3], k.w(), s.w(), p.w(), d.w(), ceil);
        double[] out = new double[shape[0] * shape[1] * outH * outW];
        int e = 0;
        for (int n = 0; n < shape[0]; n++) {
            for (int c = 0; c < shape[1]; c++) {
                for (int y = 0; y < outH; y++) {
                    for (int xx = 0; xx < outW; xx++) {
                        double sum = 0;
                        double max = Double.NEGATIVE_INFINITY;
                        int inside = 0;
                        int padCounted = 0;
                        for (int i = 0; i < k.h(); i++) {
                            for (int j = 0; j < k.w(); j++) {
                                int row = y * s.h() - p.h() + i * d.h();
                                int col = xx * s.w() - p.w() + j * d.w();
                                if (row < shape[2] + p.h() && col < shape[3] + p.w()) {
                                    padCounted++; // inside the padded input: PyTorch's count_include_pad counts it
                                }
                                if (row >= 0 && row < shape[2] && col >= 0 && col < shape[3]) {
                                    double v = x.get(n, c, row, col);
                                    sum += v;
                                    max = Math.max(max, v);
                                    inside++;
                                }
                            }
                        }
                        out[e++] = reduce.apply(sum, max, inside, padCounted);
                    }
                }
            }
        }
        return Ref.of(out, shape[0], shape[1], outH, outW);
    }

    /** Zeros {@code [N, C, outH, outW]}, each value written at its index in its plane, in order. */
    static Ref unpool(Ref values, Ref indices, int outH, int outW) {
        int[] shape = values.shape();
        int perPlane = shape[2] * shape[3];
        double[] out = new double[shape[0] * shape[1] * outH * outW];
        int[] index = indices.ints();
        for (int i = 0; i < values.numel(); i++) {
            out[i / perPlane * outH * outW + index[i]] = values.data()[i];
        }
        return Ref.of(out, shape[0], shape[1], outH, outW);
    }

    /** Each window's maximum written back where it was, in an input-sized plane of zeros. */
    static Ref unpoolOfMax(Ref x, MaxPool2d.Spec spec) {
        int[] shape = x.shape();
        Ref pooled = maxPool(x, spec);
        double[] out = new double[x.numel()];
        int perPlane = shape[2] * shape[3];
        int outPlane = pooled.shape()[2] * pooled.shape()[3];
        for (int o = 0; o < pooled.numel(); o++) {
            int plane = o / outPlane;
            for (int q = plane * perPlane; q < (plane + 1) * perPlane; q++) {
                if (x.data()[q] == pooled.data()[o]) {
                    out[q] = x.data()[q];
                }
            }
        }
        return Ref.of(out, shape);
    }
}
