package dev.soma.tensor;

import static dev.soma.testing.Values.awayFrom;
import static dev.soma.testing.Values.integers;
import static dev.soma.testing.Values.lattice;
import static dev.soma.testing.Values.signedMagnitude;
import static dev.soma.testing.Values.uniform;

import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import dev.soma.testing.Values;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of the elementwise ops and activations against {@link Ref}, at shapes around the
 * SIMD lane counts, rank 0, size-1 and size-0 dimensions, and every broadcasting corner.
 */
class GradientCheckElementwiseTest {

    private static final List<int[]> SHAPES = List.of(
            new int[] {}, new int[] {1}, new int[] {15}, new int[] {16}, new int[] {17}, new int[] {33},
            new int[] {207}, new int[] {3, 4}, new int[] {4, 1, 5}, new int[] {2, 0, 3});

    private static final double SQRT_HALF = Math.sqrt(0.5);

    /** One unary op: its values' domain, Soma's expression and the reference function. */
    private record Unary(String name, Values values, UnaryOperator<Tensor> soma, DoubleUnaryOperator reference) {
    }

    private static final Values ANY = uniform(-2, 2);
    private static final Values POSITIVE = uniform(0.2, 4);
    private static final Values NOT_ZERO = awayFrom(-2, 2, 0.01, 0);

    private static final List<Unary> UNARY = List.of(
            new Unary("neg", ANY, Tensor::neg, x -> -x),
            new Unary("exp", ANY, Tensor::exp, Math::exp),
            new Unary("log", POSITIVE, Tensor::log, Math::log),
            new Unary("sqrt", POSITIVE, Tensor::sqrt, Math::sqrt),
            new Unary("abs", NOT_ZERO, Tensor::abs, Math::abs),
            new Unary("relu", NOT_ZERO, Tensor::relu, x -> x > 0 ? x : 0),
            new Unary("sigmoid", uniform(-5, 5), Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x))),
            new Unary("tanh", uniform(-3, 3), Tensor::tanh, Math::tanh),
            new Unary("erf", uniform(-3, 3), Tensor::erf, Ref::erf),
            new Unary("leakyRelu(0.1)", NOT_ZERO, x -> x.leakyRelu(0.1f), x -> x > 0 ? x : 0.1 * x),
            new Unary("gelu", uniform(-4, 4), Tensor::gelu, x -> x / 2 * (1 + Ref.erf(x * SQRT_HALF))),
            new Unary("softplus", uniform(-5, 5), Tensor::softplus, GradientCheckElementwiseTest::softplus),
            new Unary("clamp(-0.5, 0.7)", awayFrom(-2, 2, 0.01, -0.5, 0.7), x -> x.clamp(-0.5f, 0.7f),
                    x -> Math.min(Math.max(x, -0.5), 0.7)),
            new Unary("pow 3", ANY, x -> x.pow(3f), x -> x * x * x),
            new Unary("pow 2", ANY, x -> x.pow(2f), x -> x * x),
            new Unary("pow 0", ANY, x -> x.pow(0f), x -> 1),
            new Unary("pow -2", signedMagnitude(0.3, 2), x -> x.pow(-2f), x -> 1 / (x * x)),
            new Unary("pow 0.5", POSITIVE, x -> x.pow(0.5f), Math::sqrt),
            new Unary("pow -1.5", POSITIVE, x -> x.pow(-1.5f), x -> 1 / (x * Math.sqrt(x))),
            new Unary("add 1.5", ANY, x -> x.add(1.5f), x -> x + 1.5),
            new Unary("sub 0.25", ANY, x -> x.sub(0.25f), x -> x - 0.25),
            new Unary("mul -3", ANY, x -> x.mul(-3f), x -> -3 * x),
            new Unary("div 4", ANY, x -> x.div(4f), x -> x / 4));

    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static Stream<GradCheck> unary() {
        return UNARY.stream().flatMap(op -> SHAPES.stream().map(shape -> check(op, op.values, shape)));
    }

    private static GradCheck check(Unary op, Values values, int... shape) {
        return GradCheck.of(op.name, x -> op.soma.apply(x[0]), r -> r[0].map(op.reference)).input(values, shape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void unary(GradCheck check) {
        check.run();
    }

    private static Unary unary(String name) {
        return UNARY.stream().filter(op -> op.name.equals(name)).findFirst().orElseThrow();
    }

    /** Where the fused or guarded formulas matter: saturation, softplus's threshold, exp's range. */
    static Stream<GradCheck> edgeValues() {
        Unary sigmoid = unary("sigmoid");
        Unary tanh = unary("tanh");
        Unary erf = unary("erf");
        Unary gelu = unary("gelu");
        Unary softplus = unary("softplus");
        Unary exp = unary("exp");
        return Stream.of(
                check(sigmoid, uniform(20, 40), 17), check(sigmoid, uniform(-40, -20), 17),
                check(tanh, signedMagnitude(5, 12), 17), check(erf, signedMagnitude(2.4, 6), 33),
                check(gelu, signedMagnitude(4, 9), 17), check(softplus, uniform(20.5, 30), 16),
                check(softplus, uniform(-30, -15), 16), check(softplus, uniform(19, 21), 33),
                check(exp, uniform(-80, 80), 33),
                check(new Unary("clamp(-∞, 0.5)", awayFrom(-2, 2, 0.01, 0.5), x -> x.clamp(Float.NEGATIVE_INFINITY, 0.5f),
                        x -> Math.min(x, 0.5)), awayFrom(-2, 2, 0.01, 0.5), 33),
                check(new Unary("clamp(0, ∞)", NOT_ZERO, x -> x.clamp(0, Float.POSITIVE_INFINITY),
                        x -> Math.max(x, 0)), NOT_ZERO, 33));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void edgeValues(GradCheck check) {
        check.run();
    }

    /** Broadcasting corners: [3,1]+[1,4], [4]+[2,3,4], rank 0 with rank 2, size 0, lane-count lengths. */
    private static final List<int[][]> PAIRS = List.of(
            new int[][] {{3, 1}, {1, 4}}, new int[][] {{4}, {2, 3, 4}}, new int[][] {{}, {2, 3}},
            new int[][] {{2, 3}, {}}, new int[][] {{}, {}}, new int[][] {{1}, {}}, new int[][] {{17}, {17}},
            new int[][] {{207}, {207}}, new int[][] {{33}, {1}}, new int[][] {{16, 1}, {16}},
            new int[][] {{5, 1, 3}, {4, 1}}, new int[][] {{2, 0, 3}, {1, 3}}, new int[][] {{17, 33}, {17, 1}});

    private record Binary(String name, Values left, Values right, BinaryOperator<Tensor> soma,
            BinaryOperator<Ref> reference) {
    }

    private static final List<Binary> BINARY = List.of(
            new Binary("add", ANY, ANY, Tensor::add, Ref::add),
            new Binary("sub", ANY, ANY, Tensor::sub, Ref::sub),
            new Binary("mul", ANY, ANY, Tensor::mul, Ref::mul),
            new Binary("div", ANY, signedMagnitude(0.5, 2), Tensor::div, Ref::div),
            new Binary("pow", uniform(0.5, 2), ANY, Tensor::pow, (a, b) -> a.zip(b, Math::pow)),
            new Binary("maximum", lattice(0.2, 0, 10), lattice(0.2, 0.1, 10), Tensor::maximum,
                    (a, b) -> a.zip(b, Math::max)),
            new Binary("minimum", lattice(0.2, 0, 10), lattice(0.2, 0.1, 10), Tensor::minimum,
                    (a, b) -> a.zip(b, Math::min)));

    static Stream<GradCheck> binary() {
        return BINARY.stream().flatMap(op -> PAIRS.stream().map(pair -> GradCheck.of(op.name,
                x -> op.soma.apply(x[0], x[1]), r -> op.reference.apply(r[0], r[1]))
                .input(op.left, pair[0]).input(op.right, pair[1])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void binary(GradCheck check) {
        check.run();
    }

    /** {@code where(c, a, b)}: the condition is a constant mask; all three broadcast. */
    static Stream<GradCheck> where() {
        int[][][] shapes = {
            {{3, 4}, {3, 4}, {3, 4}}, {{3, 1}, {1, 4}, {}}, {{4}, {2, 3, 4}, {3, 1}}, {{207}, {207}, {1}},
            {{}, {2, 3}, {2, 3}}, {{17, 1}, {33}, {17, 33}}, {{2, 0, 3}, {3}, {1, 3}}};
        return Stream.of(shapes).map(s -> GradCheck.of("where",
                x -> Tensor.where(x[0].toBool(), x[1], x[2]), r -> Ref.where(r[0], r[1], r[2]))
                .constant(integers(0, 2), s[0]).input(s[1]).input(s[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void where(GradCheck check) {
        check.run();
    }

    /** Tensor exponents with bases on both sides of 1, and a base that is a broadcast scalar. */
    static Stream<GradCheck> powWithTensorExponent() {
        return Stream.of(
                GradCheck.of("pow base^[exponent]", x -> x[0].pow(x[1]), r -> r[0].zip(r[1], Math::pow))
                        .input(uniform(0.1, 3), 1).input(uniform(-3, 3), 207),
                GradCheck.of("pow scalar base", x -> x[0].pow(x[1]), r -> r[0].zip(r[1], Math::pow))
                        .input(uniform(0.3, 2.5), new int[0]).input(uniform(-2, 2), 4, 5),
                GradCheck.of("pow large exponents", x -> x[0].pow(x[1]), r -> r[0].zip(r[1], Math::pow))
                        .input(uniform(0.8, 1.25), 16).input(uniform(-20, 20), 16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void powWithTensorExponent(GradCheck check) {
        check.run();
    }
}
