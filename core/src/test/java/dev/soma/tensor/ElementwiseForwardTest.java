package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertClose;
import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static dev.soma.testing.TensorAssertions.broadcastGet;
import static dev.soma.testing.TensorAssertions.indices;
import static dev.soma.testing.TensorAssertions.seeded;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ElementwiseForwardTest {

    /** Sizes around the SIMD lane counts (4, 8, 16 floats) and their multiples. */
    static final int[] SIZES = {0, 1, 15, 16, 17, 33, 207, 4098};

    /** A unary op, its closed form in double, and the inputs it is defined on. */
    record Unary(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator reference, boolean positiveInputs,
                 double rtol, double atol) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final double RTOL = 2e-6;
    static final double ATOL = 1e-7;

    static List<Unary> unaryOps() {
        return List.of(
                new Unary("neg", Tensor::neg, x -> -x, false, 0, 0),
                new Unary("abs", Tensor::abs, Math::abs, false, 0, 0),
                new Unary("sign", Tensor::sign, Math::signum, false, 0, 0),
                new Unary("relu", Tensor::relu, x -> Math.max(x, 0), false, 0, 0),
                new Unary("exp", Tensor::exp, Math::exp, false, RTOL, ATOL),
                new Unary("log", Tensor::log, Math::log, true, RTOL, ATOL),
                new Unary("sqrt", Tensor::sqrt, Math::sqrt, true, 0, 0),
                new Unary("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), false, RTOL, ATOL),
                new Unary("tanh", Tensor::tanh, Math::tanh, false, RTOL, ATOL),
                // Soma's erf is the Numerical Recipes fit: absolute error below 1.2e-7.
                new Unary("erf", Tensor::erf, ElementwiseForwardTest::erf, false, RTOL, 3e-7),
                new Unary("gelu", Tensor::gelu, x -> x / 2 * (1 + erf(x / Math.sqrt(2))), false, RTOL, 1e-6),
                new Unary("leakyRelu(0.01)", x -> x.leakyRelu(0.01f), x -> x > 0 ? x : 0.01 * x, false, RTOL, 0),
                // Composed as ln(1 + eˣ) without log1p, so tiny results carry an absolute error of ~1 ulp of 1.
                new Unary("softplus", Tensor::softplus, x -> x > 20 ? x : Math.log1p(Math.exp(x)), false, RTOL, 1e-7),
                new Unary("clamp(-1.5, 2)", x -> x.clamp(-1.5f, 2), x -> Math.min(Math.max(x, -1.5), 2), false, 0, 0),
                new Unary("square", x -> x.mul(x), x -> (float) x * (float) x, false, 0, 0),
                new Unary("pow(3)", x -> x.pow(3), x -> Math.pow(x, 3), false, RTOL, ATOL),
                new Unary("mul(0.3)", x -> x.mul(0.3f), x -> (float) (x * 0.3f), false, 0, 0),
                new Unary("add(0.7)", x -> x.add(0.7f), x -> x + 0.7f, false, 0, 0),
                new Unary("sub(1.25)", x -> x.sub(1.25f), x -> x - 1.25f, false, 0, 0),
                new Unary("div(7)", x -> x.div(7), x -> (float) (x / 7f), false, 0, 0));
    }

    static Stream<Arguments> unaryCases() {
        return unaryOps().stream().flatMap(op -> java.util.Arrays.stream(SIZES).mapToObj(n -> Arguments.of(op, n)));
    }

    @ParameterizedTest(name = "{0} at size {1}")
    @MethodSource("unaryCases")
    void unaryOpsMatchTheirClosedForm(Unary op, int n) {
        Tensor x = seeded(n, 3, n);
        if (op.positiveInputs()) {
            x = x.abs().add(0.01f);
        }
        Tensor y = op.op().apply(x);
        float[] in = x.toArray();
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = op.reference().applyAsDouble(in[i]);
            if (op.rtol() == 0 && op.atol() == 0) {
                expected[i] = (float) expected[i];
            }
        }
        assertClose(y, new int[] {n}, expected, op.rtol(), op.atol());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryOpsKeepShapeAndReadStridedInput(Unary op) {
        Tensor base = seeded(5, 2, 4, 6);
        if (op.positiveInputs()) {
            base = base.abs().add(0.01f);
        }
        Tensor view = base.t().slice(0, 1, 6, 2);  // [3, 4], strides [2, 6]
        Tensor y = op.op().apply(view);
        Tensor fromCopy = op.op().apply(view.contiguous());
        assertValues(y, new int[] {3, 4}, fromCopy.toArray());
        assertShape(op.op().apply(Tensor.scalar(0.5f)), new int[0]);
        assertShape(op.op().apply(Tensor.zeros(2, 0, 3)), 2, 0, 3);
    }

    // ---------------------------------------------------------------- binary ops

    record Binary(String name, BinaryOperator<Tensor> op, DoubleBinaryOperator reference, boolean positiveBase,
                  double rtol) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Binary> binaryOps() {
        return List.of(
                new Binary("add", Tensor::add, Double::sum, false, 0),
                new Binary("sub", Tensor::sub, (a, b) -> a - b, false, 0),
                new Binary("mul", Tensor::mul, (a, b) -> a * b, false, 0),
                new Binary("div", Tensor::div, (a, b) -> a / b, false, 0),
                new Binary("maximum", Tensor::maximum, Math::max, false, 0),
                new Binary("minimum", Tensor::minimum, Math::min, false, 0),
                new Binary("pow", Tensor::pow, Math::pow, true, RTOL),
                new Binary("eq", Tensor::eq, (a, b) -> a == b ? 1 : 0, false, 0),
                new Binary("ne", Tensor::ne, (a, b) -> a != b ? 1 : 0, false, 0),
                new Binary("lt", Tensor::lt, (a, b) -> a < b ? 1 : 0, false, 0),
                new Binary("le", Tensor::le, (a, b) -> a <= b ? 1 : 0, false, 0),
                new Binary("gt", Tensor::gt, (a, b) -> a > b ? 1 : 0, false, 0),
                new Binary("ge", Tensor::ge, (a, b) -> a >= b ? 1 : 0, false, 0));
    }

    static Stream<Arguments> binaryCases() {
        return binaryOps().stream().flatMap(op -> java.util.Arrays.stream(SIZES).mapToObj(n -> Arguments.of(op, n)));
    }

    /** Rounded inputs so that the comparisons see ties too. */
    private static Tensor operand(long seed, boolean positive, int... shape) {
        Tensor x = seeded(seed, 4, shape).mul(2);
        x = Tensor.of(roundToHalves(x.toArray()), shape);
        return positive ? x.abs().add(0.5f) : x;
    }

    private static float[] roundToHalves(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.round(values[i]) / 2f;
        }
        return values;
    }

    @ParameterizedTest(name = "{0} at size {1}")
    @MethodSource("binaryCases")
    void binaryOpsMatchTheirClosedForm(Binary op, int n) {
        Tensor a = operand(n, op.positiveBase(), n);
        Tensor b = operand(n + 1000, false, n);
        if (op.name().equals("pow")) {
            b = b.clamp(-3, 3);
        }
        checkBroadcast(op, a, b);
        checkBroadcast(op, a, Tensor.scalar(1.5f));
        checkBroadcast(op, Tensor.scalar(op.positiveBase() ? 2.5f : -2.5f), b);
    }

    static Stream<Arguments> broadcastCases() {
        int[][][] pairs = {
            {{3, 1}, {1, 4}},
            {{4}, {2, 3, 4}},
            {{2, 3, 4}, {4}},
            {{2, 1, 4}, {3, 1}},
            {{2, 3, 4}, {2, 1, 1}},
            {{1, 3, 1}, {2, 3, 4}},
            {{}, {2, 3}},
            {{2, 3}, {}},
            {{}, {}},
            {{5, 1, 17}, {1, 33, 1}},
            {{2, 0}, {1}},
            {{0, 3}, {1, 3}},
            {{2, 1, 3}, {0, 1}},
        };
        return binaryOps().stream().flatMap(op -> Stream.of(pairs).map(p -> Arguments.of(op, p[0], p[1])));
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @MethodSource("broadcastCases")
    void broadcastingMatchesAnExplicitLoop(Binary op, int[] aShape, int[] bShape) {
        Tensor a = operand(7, op.positiveBase(), aShape);
        Tensor b = operand(8, false, bShape);
        checkBroadcast(op, a, b);
    }

    @Test
    void broadcastingReadsNonContiguousOperands() {
        for (Binary op : binaryOps()) {
            Tensor a = operand(1, op.positiveBase(), 4, 3).t();           // [3, 4], transposed
            Tensor b = operand(2, false, 3, 8).slice(1, 0, 8, 2);         // [3, 4], step 2
            Tensor c = operand(3, false, 4).view(1, 4).expand(3, 4);      // stride 0
            checkBroadcast(op, a, b);
            checkBroadcast(op, a, c);
            checkBroadcast(op, b.narrow(0, 1, 1), a);
        }
    }

    private static void checkBroadcast(Binary op, Tensor a, Tensor b) {
        int rank = Math.max(a.dim(), b.dim());
        int[] shape = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int sa = i <= a.dim() ? a.size(-i) : 1;
            int sb = i <= b.dim() ? b.size(-i) : 1;
            shape[rank - i] = sa == 1 ? sb : sa;
        }
        List<int[]> all = indices(shape);
        double[] expected = new double[all.size()];
        for (int i = 0; i < expected.length; i++) {
            double value = op.reference().applyAsDouble(broadcastGet(a, all.get(i)), broadcastGet(b, all.get(i)));
            expected[i] = op.rtol() == 0 ? (float) value : value;
        }
        assertClose(op.op().apply(a, b), shape, expected, op.rtol(), 0);
    }

    // ---------------------------------------------------------------- comparisons, where, clamp

    @Test
    void comparisonsAreZeroOneMasksAndFalseOnNaN() {
        Tensor x = Tensor.vector(1, 2, 3, Float.NaN);
        Tensor two = Tensor.scalar(2);
        assertValues(x.eq(two), new int[] {4}, 0, 1, 0, 0);
        assertValues(x.ne(two), new int[] {4}, 1, 0, 1, 1);
        assertValues(x.lt(two), new int[] {4}, 1, 0, 0, 0);
        assertValues(x.le(two), new int[] {4}, 1, 1, 0, 0);
        assertValues(x.gt(two), new int[] {4}, 0, 0, 1, 0);
        assertValues(x.ge(two), new int[] {4}, 0, 1, 1, 0);
        assertValues(x.eq(2), new int[] {4}, 0, 1, 0, 0);
        assertValues(x.gt(2), new int[] {4}, 0, 0, 1, 0);
        assertValues(x.lt(2), new int[] {4}, 1, 0, 0, 0);
        assertValues(x.eq(x), new int[] {4}, 1, 1, 1, 0);
    }

    @Test
    void whereChoosesByNonZeroConditionWithBroadcasting() {
        Tensor condition = Tensor.vector(1, 0, 2.5f, Float.NaN, -1, 0).toBool(); // NaN is true, as ≠ 0
        Tensor yes = Tensor.arange(6);
        Tensor no = Tensor.scalar(-7);
        assertValues(Tensor.where(condition, yes, no), new int[] {6}, 0, -7, 2, 3, 4, -7);
        Tensor rows = Tensor.vector(1, 0).view(2, 1).toBool();
        Tensor out = Tensor.where(rows, Tensor.vector(1, 2, 3), Tensor.full(9, 2, 3));
        assertValues(out, new int[] {2, 3}, 1, 2, 3, 9, 9, 9);
        assertShape(Tensor.where(Tensor.scalar(1).toBool(), Tensor.zeros(0, 2), Tensor.scalar(3)), 0, 2);
    }

    @Test
    void clampLimitsBothSidesAndKeepsNaN() {
        Tensor x = Tensor.vector(-2, -1, -0.5f, 0.5f, 1, 2, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertValues(x.clamp(-1, 1), new int[] {9}, -1, -1, -0.5f, 0.5f, 1, 1, Float.NaN, -1, 1);
        assertValues(x.clamp(Float.NEGATIVE_INFINITY, 0), new int[] {9},
                -2, -1, -0.5f, 0, 0, 0, Float.NaN, Float.NEGATIVE_INFINITY, 0);
    }

    // ---------------------------------------------------------------- edge values

    @Test
    void sigmoidSaturatesWithoutNaN() {
        Tensor x = Tensor.vector(-1000, -300, 0, 100, 300, 1000, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertValues(x.sigmoid(), new int[] {8}, 0, 0, 0.5f, 1, 1, 1, 0, 1);
        assertClose(Tensor.vector(-20, -80).sigmoid(), new int[] {2},
                new double[] {1 / (1 + Math.exp(20)), 1 / (1 + Math.exp(80))}, 1e-5, 0);
    }

    @Test
    void tanhSaturatesWithoutNaN() {
        Tensor x = Tensor.vector(-1000, -300, 0, 300, 1000);
        assertValues(x.tanh(), new int[] {5}, -1, -1, 0, 1, 1);
    }

    @Test
    void softplusIsLinearAboveAndZeroFarBelow() {
        Tensor x = Tensor.vector(-1000, 0, 1000, 30);
        assertValues(x.softplus(), new int[] {4}, 0, (float) Math.log(2), 1000, 30);
    }

    @Test
    void expLogAndSqrtAtTheirEdges() {
        Tensor x = Tensor.vector(0, -1, 1000, -1000, Float.POSITIVE_INFINITY);
        assertValues(x.exp(), new int[] {5}, 1, (float) Math.exp(-1), Float.POSITIVE_INFINITY, 0,
                Float.POSITIVE_INFINITY);
        assertValues(x.log(), new int[] {5}, Float.NEGATIVE_INFINITY, Float.NaN, (float) Math.log(1000), Float.NaN,
                Float.POSITIVE_INFINITY);
        assertValues(x.sqrt(), new int[] {5}, 0, Float.NaN, (float) Math.sqrt(1000), Float.NaN,
                Float.POSITIVE_INFINITY);
    }

    @Test
    void erfAndGeluKnownValues() {
        Tensor x = Tensor.vector(0, 0.5f, 1, 2, -1, 10, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        double[] erf = {0, 0.5204998778, 0.8427007929, 0.9953222650, -0.8427007929, 1, 1, -1};
        assertClose(x.erf(), new int[] {8}, erf, 0, 2e-7);
        Tensor g = Tensor.vector(0, 1, -1, 2, -3).gelu();
        assertClose(g, new int[] {5}, new double[] {0, 0.8413447461, -0.1586552539, 1.9544997361, -0.0040496941},
                0, 3e-7);
    }

    @Test
    void leakyReluScalesOnlyTheNegativeSide() {
        Tensor x = Tensor.vector(-2, -0.5f, 0, 3);
        assertValues(x.leakyRelu(0.1f), new int[] {4}, -2 * 0.1f, -0.5f * 0.1f, 0, 3);
        assertValues(x.leakyRelu(0), new int[] {4}, 0, 0, 0, 3);
    }

    @Test
    void reluAndMaximumPropagateNaN() {
        assertValues(Tensor.vector(Float.NaN, -1, 0, 2).relu(), new int[] {4}, Float.NaN, 0, 0, 2);
        Tensor a = Tensor.vector(Float.NaN, 1, 3);
        Tensor b = Tensor.vector(1, Float.NaN, 2);
        assertValues(a.maximum(b), new int[] {3}, Float.NaN, Float.NaN, 3);
        assertValues(a.minimum(b), new int[] {3}, Float.NaN, Float.NaN, 2);
    }

    @Test
    void signOfEachKind() {
        assertValues(Tensor.vector(-3, 0, 2, Float.NEGATIVE_INFINITY, Float.NaN).sign(), new int[] {5},
                -1, 0, 1, -1, Float.NaN);
    }

    @Test
    void rankZeroResultsStayRankZero() {
        Tensor y = Tensor.scalar(-2).relu().add(Tensor.scalar(3)).mul(2);
        assertShape(y, new int[0]);
        assertEquals(6f, y.item());
    }

    @Test
    void resultsAreFreshTensors() {
        Tensor x = Tensor.vector(1, 2);
        Tensor y = x.add(0f);
        y.set(5, 0);
        assertEquals(1f, x.get(0));
    }

    // ---------------------------------------------------------------- reference erf

    /**
     * erf in double: its Maclaurin series below |x| = 3 (terms at most e⁹, so about 1e-12 absolute
     * error), and the continued fraction of erfc above.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double z = Math.abs(x);
        double value;
        if (z <= 3) {
            double term = z;
            double sum = z;
            for (int n = 1; n < 200; n++) {
                term *= -z * z / n;
                sum += term / (2 * n + 1);
            }
            value = 2 / Math.sqrt(Math.PI) * sum;
        } else if (z < 30) {
            // erfc z = e^(-z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …))))), evaluated bottom-up.
            double fraction = z;
            for (int k = 60; k >= 1; k--) {
                fraction = z + (k / 2.0) / fraction;
            }
            value = 1 - Math.exp(-z * z) / Math.sqrt(Math.PI) / fraction;
        } else {
            value = 1;
        }
        return Math.copySign(value, x);
    }

    @Test
    void referenceErfIsRight() {
        assertEquals(0.5204998778130465, erf(0.5), 1e-12);
        assertEquals(0.9999779095030014, erf(3.0), 1e-11);
        assertEquals(0.9999999845827421, erf(4.0), 1e-12);
        assertEquals(-0.8427007929497149, erf(-1), 1e-12);
    }
}
