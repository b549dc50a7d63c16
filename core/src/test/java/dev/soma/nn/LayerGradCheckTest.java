package dev.soma.nn;

import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import dev.soma.testing.Values;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17's layers and losses checked in double precision ({@link GradCheck}): each against a direct
 * statement of its formula in {@link Ref}, written from the definition rather than from Soma's
 * composition (the transposed convolution as a scatter, the grouped and "same" convolutions as sums
 * over their windows), with every gradient against central finite differences. LayerParityTest holds
 * the same layers to PyTorch's numbers.
 */
class LayerGradCheckTest {

    static Stream<GradCheck> layers() {
        Conv2d.Spec grouped = new Conv2d.Spec(4, 6, new Pair(2, 3)).stride(new Pair(2, 1)).padding(new Pair(1, 0))
                .groups(2);
        Conv2d.Spec same = new Conv2d.Spec(3, 3, new Pair(2, 3)).dilation(new Pair(1, 2)).paddingSame().groups(3);
        ConvTranspose2d.Spec transposed = new ConvTranspose2d.Spec(4, 2, new Pair(2, 3), new Pair(2, 1),
                new Pair(1, 0), new Pair(1, 0), 2, true, new Pair(1, 2));
        return Stream.of(
                GradCheck.of("conv2d (2, 3), stride (2, 1), padding (1, 0), groups 2",
                        t -> Conv2d.convolve(t[0], t[1], t[2], grouped),
                        r -> conv(r[0], r[1], r[2], new int[] {2, 1}, new int[] {1, 0}, new int[] {3, 2},
                                new int[] {1, 1}, 2))
                        .input(2, 4, 5, 4).input(6, 2, 2, 3).input(6),
                GradCheck.of("conv2d depthwise, padding same, dilation (1, 2)",
                        t -> Conv2d.convolve(t[0], t[1], null, same),
                        r -> conv(r[0], r[1], null, new int[] {1, 1}, new int[] {0, 2}, new int[] {4, 5},
                                new int[] {1, 2}, 3))
                        .input(1, 3, 4, 5).input(3, 1, 2, 3),
                GradCheck.of("conv_transpose2d (2, 3), stride (2, 1), padding (1, 0), output_padding (1, 0),"
                                + " groups 2, dilation (1, 2)",
                        t -> ConvTranspose2d.convTranspose2d(t[0], t[1], t[2], transposed),
                        r -> transposedConv(r[0], r[1], r[2], transposed))
                        .input(2, 4, 3, 2).input(4, 1, 2, 3).input(2),
                GradCheck.of("layer_norm over [2, 3]",
                        t -> LayerNorm.layerNorm(t[0], 2, t[1], t[2], 0.01f),
                        r -> layerNorm(r[0], r[1], r[2], 0.01))
                        .input(3, 2, 3).input(2, 3).input(2, 3),
                GradCheck.of("embedding", t -> Embedding.embedding(t[0].toLong(), t[1], null),
                        r -> r[1].indexSelect(0, r[0].ints()).reshape(2, 3, 4))
                        .constant(Values.integers(0, 5), 2, 3).input(5, 4),
                GradCheck.of("softplus beta 2, threshold 1", t -> Softplus.softplus(t[0], 2, 1),
                        r -> r[0].map(x -> 2 * x > 1 ? x : Math.log1p(Math.exp(2 * x)) / 2))
                        .input(Values.awayFrom(-3, 3, 0.01, 0.5), 4, 5),
                GradCheck.of("adaptive_avg_pool2d 5x7 to (3, 4)",
                        t -> AdaptiveAvgPool2d.adaptiveAvgPool2d(t[0], new Pair(3, 4)),
                        r -> adaptiveAvg(r[0], 3, 4))
                        .input(2, 2, 5, 7));
    }

    static Stream<GradCheck> losses() {
        dev.soma.tensor.Tensor weight = dev.soma.tensor.Tensor.of(new float[] {0.5f, 2, 1}, 3);
        Ref classWeight = Ref.of(new double[] {0.5, 2, 1}, 3);
        Values kinked = Values.awayFrom(-3, 3, 0.01, -1, 0, 1);
        return Stream.of(
                GradCheck.of("cross_entropy [N, C, L], weight, ignore_index 1",
                        t -> Losses.crossEntropy(t[0], t[1].toLong(), weight, 1, 0, Reduction.MEAN),
                        r -> weightedCrossEntropy(r[0], r[1], classWeight, 1))
                        .input(2, 3, 4).constant(Values.integers(0, 3), 2, 4),
                GradCheck.of("l1", t -> Losses.l1(t[0], t[1], Reduction.MEAN),
                        r -> r[0].sub(r[1]).map(Math::abs).mean(new int[] {0, 1}, false))
                        .input(kinked, 3, 4).constant(Values.fixed(new double[12]), 3, 4),
                GradCheck.of("huber delta 1", t -> Losses.huber(t[0], t[1], 1, Reduction.SUM),
                        r -> r[0].sub(r[1]).map(d -> Math.abs(d) < 1 ? d * d / 2 : Math.abs(d) - 0.5)
                                .sum(new int[] {0, 1}, false))
                        .input(kinked, 3, 4).constant(Values.fixed(new double[12]), 3, 4),
                GradCheck.of("smooth_l1 beta 2", t -> Losses.smoothL1(t[0], t[1], 2, Reduction.NONE),
                        r -> r[0].sub(r[1]).map(d -> Math.abs(d) < 2 ? d * d / 4 : Math.abs(d) - 1))
                        .input(Values.awayFrom(-3, 3, 0.01, -2, 2), 3, 4).constant(Values.fixed(new double[12]), 3, 4),
                GradCheck.of("kl_div batchmean", t -> Losses.klDiv(t[0], t[1], Reduction.BATCHMEAN, false),
                        r -> r[1].zip(r[0], (y, x) -> y == 0 ? 0 : y * (Math.log(y) - x))
                                .sum(new int[] {0, 1}, false).mul(1.0 / 3))
                        .input(3, 4).input(Values.uniform(0.01, 1), 3, 4),
                GradCheck.of("bce_with_logits pos_weight",
                        t -> Losses.binaryCrossEntropyWithLogits(t[0], t[1], null, t[2], Reduction.SUM),
                        r -> bceWithLogits(r[0], r[1], r[2]))
                        .input(3, 2).input(Values.uniform(0, 1), 3, 2).input(Values.uniform(0.5, 3), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossesMatchTheirDefinitions(GradCheck check) {
        check.run();
    }

    /** {@code Σ −w[y]·ln softmax(x)[y] / Σ w[y]} over the positions whose target is not {@code ignore}. */
    static Ref weightedCrossEntropy(Ref x, Ref target, Ref weight, int ignore) {
        int[] s = x.shape();
        Ref logProbs = x.logSoftmax(1);
        double sum = 0;
        double total = 0;
        for (int n = 0; n < s[0]; n++) {
            for (int l = 0; l < s[2]; l++) {
                int y = (int) target.get(n, l);
                if (y != ignore) {
                    sum -= weight.data()[y] * logProbs.get(n, y, l);
                    total += weight.data()[y];
                }
            }
        }
        return Ref.scalar(sum / total);
    }

    /** {@code −Σ (p·y·ln σ(x) + (1 − y)·ln(1 − σ(x)))}, p per class (the last dimension). */
    static Ref bceWithLogits(Ref x, Ref y, Ref posWeight) {
        double sum = 0;
        for (int i = 0; i < x.numel(); i++) {
            double p = 1 / (1 + Math.exp(-x.data()[i]));
            double t = y.data()[i];
            sum -= posWeight.data()[i % posWeight.numel()] * t * Math.log(p) + (1 - t) * Math.log(1 - p);
        }
        return Ref.scalar(sum);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void layersMatchTheirDefinitions(GradCheck check) {
        check.run();
    }

    /**
     * {@code out[n, o, y, x] = b[o] + Σ_{c in o's group, i, j} w[o, c, i, j]·in[n, c, y·s − p + i·d, x·s − p + j·d]},
     * p the padding before (top, left), the output {@code outSize}.
     */
    static Ref conv(Ref x, Ref w, Ref b, int[] stride, int[] before, int[] outSize, int[] dilation, int groups) {
        int[] s = x.shape();
        int[] k = w.shape();
        int perGroupOut = k[0] / groups;
        double[] out = new double[s[0] * k[0] * outSize[0] * outSize[1]];
        int e = 0;
        for (int n = 0; n < s[0]; n++) {
            for (int o = 0; o < k[0]; o++) {
                for (int y = 0; y < outSize[0]; y++) {
                    for (int xx = 0; xx < outSize[1]; xx++) {
                        double sum = b == null ? 0 : b.data()[o];
                        for (int c = 0; c < k[1]; c++) {
                            int channel = o / perGroupOut * k[1] + c;
                            for (int i = 0; i < k[2]; i++) {
                                for (int j = 0; j < k[3]; j++) {
                                    int row = y * stride[0] - before[0] + i * dilation[0];
                                    int col = xx * stride[1] - before[1] + j * dilation[1];
                                    if (row >= 0 && row < s[2] && col >= 0 && col < s[3]) {
                                        sum += w.get(o, c, i, j) * x.get(n, channel, row, col);
                                    }
                                }
                            }
                        }
                        out[e++] = sum;
                    }
                }
            }
        }
        return new Ref(out, new int[] {s[0], k[0], outSize[0], outSize[1]});
    }

    /** The scatter: {@code out[n, o, y·s − p + i·d, x·s − p + j·d] += w[c, o − group offset, i, j]·in[n, c, y, x]}. */
    static Ref transposedConv(Ref x, Ref w, Ref b, ConvTranspose2d.Spec spec) {
        int[] s = x.shape();
        int[] k = w.shape();
        int groups = spec.groups();
        int outChannels = k[1] * groups;
        int[] image = spec.outputShape(new int[] {s[1], s[2], s[3]}, "the input gives");
        int height = image[1];
        int width = image[2];
        double[] out = new double[s[0] * outChannels * height * width];
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                int group = c / (s[1] / groups);
                for (int y = 0; y < s[2]; y++) {
                    for (int xx = 0; xx < s[3]; xx++) {
                        for (int o = 0; o < k[1]; o++) {
                            for (int i = 0; i < k[2]; i++) {
                                for (int j = 0; j < k[3]; j++) {
                                    int row = y * spec.stride().h() - spec.padding().h() + i * spec.dilation().h();
                                    int col = xx * spec.stride().w() - spec.padding().w() + j * spec.dilation().w();
                                    if (row >= 0 && row < height && col >= 0 && col < width) {
                                        int channel = group * k[1] + o;
                                        out[((n * outChannels + channel) * height + row) * width + col]
                                                += w.get(c, o, i, j) * x.get(n, c, y, xx);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Ref result = new Ref(out, new int[] {s[0], outChannels, height, width});
        return b == null ? result : result.add(b.reshape(outChannels, 1, 1));
    }

    static Ref layerNorm(Ref x, Ref gamma, Ref beta, double eps) {
        int[] dims = {x.rank() - 2, x.rank() - 1};
        Ref centred = x.sub(x.mean(dims, true));
        return centred.div(x.var(dims, 0, true).add(eps).map(Math::sqrt)).mul(gamma).add(beta);
    }

    /** Each output the plain average of its window {@code [⌊i·H/out⌋, ⌈(i+1)·H/out⌉)}, likewise columns. */
    static Ref adaptiveAvg(Ref x, int outH, int outW) {
        int[] s = x.shape();
        double[] out = new double[s[0] * s[1] * outH * outW];
        int e = 0;
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        int top = i * s[2] / outH;
                        int bottom = ((i + 1) * s[2] + outH - 1) / outH;
                        int left = j * s[3] / outW;
                        int right = ((j + 1) * s[3] + outW - 1) / outW;
                        double sum = 0;
                        for (int r = top; r < bottom; r++) {
                            for (int q = left; q < right; q++) {
                                sum += x.get(n, c, r, q);
                            }
                        }
                        out[e++] = sum / ((bottom - top) * (right - left));
                    }
                }
            }
        }
        return new Ref(out, new int[] {s[0], s[1], outH, outW});
    }
}
