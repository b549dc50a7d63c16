package dev.soma.tensor;

import static dev.soma.testing.Values.distinct;
import static dev.soma.testing.Values.integers;
import static dev.soma.testing.Values.signedMagnitude;
import static dev.soma.testing.Values.uniform;

import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of whole expressions: small networks with their losses, and graphs where one
 * tensor feeds several branches, so that gradients must accumulate rather than overwrite.
 */
class GradientCheckCompositeTest {

    private static final int[] ALL = {};
    private static final int[] LAST = {-1};

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Cross-entropy of a 2-layer MLP: X·W1 + b1, an activation, ·W2 + b2, then -mean log p[target]. */
    private static GradCheck mlp(String activation, UnaryOperator<Tensor> soma, DoubleUnaryOperator reference,
            int batch, int in, int hidden, int classes) {
        return GradCheck.of("mlp " + activation, x -> {
            Tensor h = soma.apply(x[0].matmul(x[1]).add(x[2]));
            Tensor logits = h.matmul(x[3]).add(x[4]);
            return logits.logSoftmax(1).gather(1, x[5].toLong()).mean().neg();
        }, r -> {
            Ref h = r[0].matmul(r[1]).add(r[2]).map(reference);
            Ref logits = h.matmul(r[3]).add(r[4]);
            return logits.logSoftmax(1).gather(1, r[5]).mean(ALL, false).mul(-1);
        }).input(batch, in).input(uniform(-1, 1), in, hidden).input(uniform(-0.5, 0.5), hidden)
                .input(uniform(-1, 1), hidden, classes).input(uniform(-0.5, 0.5), classes)
                .constant(integers(0, classes), batch, 1);
    }

    static Stream<GradCheck> networks() {
        return Stream.of(
                mlp("tanh", Tensor::tanh, Math::tanh, 8, 5, 16, 3),
                mlp("gelu", Tensor::gelu, x -> x / 2 * (1 + Ref.erf(x / Math.sqrt(2))), 17, 4, 33, 5),
                mlp("relu", Tensor::relu, x -> Math.max(x, 0), 6, 3, 15, 4),
                mlp("sigmoid", Tensor::sigmoid, GradientCheckCompositeTest::sigmoid, 1, 7, 1, 2),
                GradCheck.of("one-hot cross-entropy", x -> Tensor.oneHot(x[1].toLong(), 4).mul(x[0].logSoftmax(-1)).sum(1).mean().neg(),
                        r -> oneHot(r[1], 4).mul(r[0].logSoftmax(-1)).sum(new int[] {1}, false).mean(ALL, false).mul(-1))
                        .input(uniform(-3, 3), 9, 4).constant(integers(0, 4), 9),
                GradCheck.of("mse regression", x -> x[0].matmul(x[1]).add(x[2]).sub(x[3]).pow(2f).mean(),
                        r -> square(r[0].matmul(r[1]).add(r[2]).sub(r[3])).mean(ALL, false))
                        .input(16, 3).input(3).input(new int[0]).input(16),
                GradCheck.of("layer norm", x -> {
                    Tensor centered = x[0].sub(x[0].mean(LAST, true));
                    return centered.div(x[0].var(LAST, 0, true).add(1e-5f).sqrt()).mul(x[1]).add(x[2]);
                }, r -> {
                    Ref centered = r[0].sub(r[0].mean(LAST, true));
                    return centered.div(r[0].var(LAST, 0, true).add(1e-5).map(Math::sqrt)).mul(r[1]).add(r[2]);
                }).input(4, 17).input(17).input(17),
                GradCheck.of("attention", x -> x[0].matmul(x[1].transpose(-1, -2)).mul(0.35f).softmax(-1).matmul(x[2]),
                        r -> r[0].matmul(r[1].transpose(1, 2)).mul(0.35).softmax(-1).matmul(r[2]))
                        .input(2, 4, 8).input(2, 5, 8).input(2, 5, 3),
                GradCheck.of("standardize columns", x -> x[0].sub(x[0].mean(0)).div(x[0].std(new int[] {0}, 1, false)),
                        r -> r[0].sub(r[0].mean(new int[] {0}, false)).div(r[0].var(new int[] {0}, 1, false).map(Math::sqrt)))
                        .input(15, 3),
                GradCheck.of("max-normalized", x -> x[0].div(x[0].abs().max()),
                        r -> r[0].div(r[0].map(Math::abs).max(ALL, false))).input(distinct(0.1, 2), 33),
                GradCheck.of("euclidean norm of rows", x -> x[0].pow(2f).sum(new int[] {1}, false).sqrt(),
                        r -> square(r[0]).sum(new int[] {1}, false).map(Math::sqrt)).input(5, 16));
    }

    private static Ref square(Ref x) {
        return x.mul(x);
    }

    private static Ref oneHot(Ref classes, int count) {
        int[] c = classes.ints();
        double[] out = new double[c.length * count];
        for (int i = 0; i < c.length; i++) {
            out[i * count + c[i]] = 1;
        }
        return Ref.of(out, c.length, count);
    }

    /** One tensor feeding several branches: every branch's contribution must be added. */
    static Stream<GradCheck> sharedTensors() {
        return Stream.of(
                GradCheck.of("x + x", x -> x[0].add(x[0]), r -> r[0].add(r[0])).input(17),
                GradCheck.of("x - x", x -> x[0].sub(x[0]), r -> r[0].sub(r[0])).input(17),
                GradCheck.of("x · x", x -> x[0].mul(x[0]), r -> r[0].mul(r[0])).input(207),
                GradCheck.of("x / x²", x -> x[0].div(x[0].mul(x[0])), r -> r[0].div(r[0].mul(r[0])))
                        .input(signedMagnitude(0.5, 2), 16),
                GradCheck.of("xˣ", x -> x[0].pow(x[0]), r -> r[0].zip(r[0], Math::pow)).input(uniform(0.3, 2), 15),
                GradCheck.of("swish x·σ(x)", x -> x[0].mul(x[0].sigmoid()), r -> r[0].map(v -> v * sigmoid(v))).input(33),
                GradCheck.of("eˣ·ln x + √x", x -> x[0].exp().mul(x[0].log()).add(x[0].sqrt()),
                        r -> r[0].map(v -> Math.exp(v) * Math.log(v) + Math.sqrt(v))).input(uniform(0.2, 3), 16),
                GradCheck.of("diamond y=eˣ, y·σ(y) + √y", x -> {
                    Tensor y = x[0].exp();
                    return y.mul(y.sigmoid()).add(y.sqrt());
                }, r -> r[0].map(v -> Math.exp(v) * sigmoid(Math.exp(v)) + Math.sqrt(Math.exp(v)))).input(3, 5),
                GradCheck.of("x - mean(x)", x -> x[0].sub(x[0].mean(new int[] {1}, true)),
                        r -> r[0].sub(r[0].mean(new int[] {1}, true))).input(4, 17),
                GradCheck.of("x·xᵀ + x", x -> x[0].matmul(x[0].t()).add(x[0]),
                        r -> r[0].matmul(r[0].transpose(0, 1)).add(r[0])).input(6, 6),
                GradCheck.of("broadcast against itself", x -> x[0].unsqueeze(1).mul(x[0].unsqueeze(0)),
                        r -> r[0].unsqueeze(1).mul(r[0].unsqueeze(0))).input(16),
                GradCheck.of("views of one tensor", x -> x[0].narrow(0, 0, 3).add(x[0].narrow(0, 1, 3)).mul(x[0].select(0, 3)),
                        r -> r[0].slice(0, 0, 3, 1).add(r[0].slice(0, 1, 4, 1)).mul(r[0].select(0, 3))).input(4, 5),
                GradCheck.of("stack of functions", x -> Tensor.stack(List.of(x[0].tanh(), x[0].exp(), x[0]), 0)
                        .logsumexp(0), r -> Ref.stack(0, r[0].map(Math::tanh), r[0].map(Math::exp), r[0])
                        .logsumexp(new int[] {0}, false)).input(17),
                GradCheck.of("where of two functions of x", x -> Tensor.where(x[1].toBool(), x[0].exp(), x[0].mul(x[0])),
                        r -> Ref.where(r[1], r[0].map(Math::exp), r[0].mul(r[0]))).input(16).constant(integers(0, 2), 16),
                GradCheck.of("gather and scatter of one tensor", x -> x[0].scatterAdd(1, x[1].toLong(), x[0].gather(1, x[1].toLong())),
                        r -> r[0].scatterAdd(1, r[1], r[0].gather(1, r[1]))).input(3, 4).constant(integers(0, 4), 3, 4),
                GradCheck.of("long chain x ← 0.9x + tanh x, 60 times", x -> {
                    Tensor y = x[0];
                    for (int i = 0; i < 60; i++) {
                        y = y.mul(0.9f).add(y.tanh());
                    }
                    return y;
                }, r -> r[0].map(v -> {
                    double y = v;
                    for (int i = 0; i < 60; i++) {
                        y = 0.9 * y + Math.tanh(y);
                    }
                    return y;
                })).input(uniform(-0.5, 0.5), 15));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"networks", "sharedTensors"})
    void composite(GradCheck check) {
        check.run();
    }
}
