package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import dev.soma.testing.Values;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The losses against closed forms written out in double here, with each reduction; their gradients
 * against central finite differences of those closed forms ({@link GradCheck}); their edge values.
 */
class LossesTest {

    private static final int N = 6;
    private static final int C = 5;

    // ---------------------------------------------------------------- the closed forms, in double

    private static double[] toDouble(Tensor t) {
        float[] values = t.toArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Per-element losses reduced as {@code reduction} says. */
    private static Ref reduce(double[] losses, int[] shape, Reduction reduction) {
        double sum = 0;
        for (double v : losses) {
            sum += v;
        }
        return switch (reduction) {
            case MEAN -> Ref.scalar(sum / losses.length);
            case SUM -> Ref.scalar(sum);
            case NONE -> new Ref(losses.clone(), shape.clone());
            case BATCHMEAN -> Ref.scalar(sum / shape[0]);
        };
    }

    private static Ref mse(Ref x, Ref y, Reduction reduction) {
        double[] losses = new double[x.numel()];
        for (int i = 0; i < losses.length; i++) {
            double d = x.data()[i] - y.data()[i];
            losses[i] = d * d;
        }
        return reduce(losses, x.shape(), reduction);
    }

    private static Ref bce(Ref p, Ref y, Reduction reduction) {
        double[] losses = new double[p.numel()];
        for (int i = 0; i < losses.length; i++) {
            double logP = Math.max(Math.log(p.data()[i]), -100);
            double logNotP = Math.max(Math.log(1 - p.data()[i]), -100);
            losses[i] = -(y.data()[i] * logP + (1 - y.data()[i]) * logNotP);
        }
        return reduce(losses, p.shape(), reduction);
    }

    /** {@code −(y ln σ(z) + (1−y) ln(1−σ(z)))} written stably: {@code max(z, 0) − z·y + ln(1 + e^−|z|)}. */
    private static Ref bceWithLogits(Ref z, Ref y, Reduction reduction) {
        double[] losses = new double[z.numel()];
        for (int i = 0; i < losses.length; i++) {
            double v = z.data()[i];
            losses[i] = Math.max(v, 0) - v * y.data()[i] + Math.log1p(Math.exp(-Math.abs(v)));
        }
        return reduce(losses, z.shape(), reduction);
    }

    /** {@code −log pᵢ,c} for every row i and class c of logits {@code [N, C]}. */
    private static double[][] negativeLogSoftmax(Ref logits) {
        int rows = logits.shape()[0];
        int classes = logits.shape()[1];
        double[][] out = new double[rows][classes];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits.get(i, c));
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits.get(i, c) - max);
            }
            for (int c = 0; c < classes; c++) {
                out[i][c] = -(logits.get(i, c) - max - Math.log(sum));
            }
        }
        return out;
    }

    /** {@code ℓᵢ = (1−ε)(−log pᵢ,ₜ) + ε·mean_c(−log pᵢ,c)}. */
    private static Ref crossEntropy(Ref logits, Ref target, double smoothing, Reduction reduction) {
        double[][] nll = negativeLogSoftmax(logits);
        double[] losses = new double[nll.length];
        for (int i = 0; i < losses.length; i++) {
            double uniform = 0;
            for (double v : nll[i]) {
                uniform += v / nll[i].length;
            }
            losses[i] = (1 - smoothing) * nll[i][(int) target.data()[i]] + smoothing * uniform;
        }
        return reduce(losses, new int[] {losses.length}, reduction);
    }

    private static Ref nll(Ref logProbs, Ref target, Reduction reduction) {
        double[] losses = new double[logProbs.shape()[0]];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = -logProbs.get(i, (int) target.data()[i]);
        }
        return reduce(losses, new int[] {losses.length}, reduction);
    }

    private static Ref ref(Tensor t) {
        return new Ref(toDouble(t), t.shape());
    }

    private static void assertMatches(Ref expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        float[] values = actual.toArray();
        for (int i = 0; i < values.length; i++) {
            double want = expected.data()[i];
            assertEquals(want, values[i], 1e-5 * (1 + Math.abs(want)), "element " + i);
        }
    }

    private static Tensor classes(long seed, int n, int classes) {
        return Tensor.randint(new Generator(seed), 0, classes, n);
    }

    // ---------------------------------------------------------------- values

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"MEAN", "SUM", "NONE"})
    void mseIsTheSquaredDifference(Reduction reduction) {
        Tensor x = Tensor.randn(new Generator(1), N, 3);
        Tensor y = Tensor.randn(new Generator(2), N, 3);
        assertMatches(mse(ref(x), ref(y), reduction), Losses.mse(x, y, reduction));
        assertMatches(mse(ref(x), ref(y), reduction), new MSELoss(reduction).forward(x, y));
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"MEAN", "SUM", "NONE"})
    void bceIsTheBinaryCrossEntropyOfProbabilities(Reduction reduction) {
        Tensor p = Tensor.rand(new Generator(3), N, 2).mul(0.98f).add(0.01f);
        Tensor y = Tensor.rand(new Generator(4), N, 2);
        assertMatches(bce(ref(p), ref(y), reduction), Losses.binaryCrossEntropy(p, y, reduction));
        assertMatches(bce(ref(p), ref(y), reduction), new BCELoss(reduction).forward(p, y));
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"MEAN", "SUM", "NONE"})
    void bceWithLogitsIsBceOfTheSigmoid(Reduction reduction) {
        Tensor z = Tensor.randn(new Generator(5), N, 2).mul(4);
        Tensor y = Tensor.rand(new Generator(6), N, 2);
        assertMatches(bceWithLogits(ref(z), ref(y), reduction), Losses.binaryCrossEntropyWithLogits(z, y, reduction));
        assertMatches(bceWithLogits(ref(z), ref(y), reduction), new BCEWithLogitsLoss(reduction).forward(z, y));
        // And the same numbers as BCE on σ(z), where σ(z) is far from 0 and 1.
        Tensor moderate = Tensor.randn(new Generator(7), N).mul(2);
        Tensor targets = Tensor.rand(new Generator(8), N);
        assertMatches(ref(Losses.binaryCrossEntropy(moderate.sigmoid(), targets, reduction)),
                Losses.binaryCrossEntropyWithLogits(moderate, targets, reduction));
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"MEAN", "SUM", "NONE"})
    void crossEntropyIsMinusLogSoftmaxAtTheTarget(Reduction reduction) {
        Tensor logits = Tensor.randn(new Generator(9), N, C).mul(3);
        Tensor target = classes(10, N, C);
        assertMatches(crossEntropy(ref(logits), ref(target), 0, reduction), Losses.crossEntropy(logits, target, reduction));
        assertMatches(crossEntropy(ref(logits), ref(target), 0, reduction),
                new CrossEntropyLoss(reduction, 0).forward(logits, target));
    }

    @ParameterizedTest
    @ValueSource(floats = {0.1f, 0.3f, 1f})
    void labelSmoothingMatchesTheClosedForm(float epsilon) {
        Tensor logits = Tensor.randn(new Generator(11), N, C).mul(3);
        Tensor target = classes(12, N, C);
        for (Reduction reduction : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            assertMatches(crossEntropy(ref(logits), ref(target), epsilon, reduction),
                    Losses.crossEntropy(logits, target, epsilon, reduction));
            assertMatches(crossEntropy(ref(logits), ref(target), epsilon, reduction),
                    new CrossEntropyLoss(reduction, epsilon).forward(logits, target));
        }
    }

    @Test
    void labelSmoothingByHand() {
        // Logits [0, ln 3] → p = [1/4, 3/4]; target 1, ε = 0.2:
        // ℓ = 0.8·(−ln ¾) + 0.2·½(−ln ¼ − ln ¾) = 0.9·ln(4/3) + 0.1·ln 4.
        Tensor logits = Tensor.matrix(new float[][] {{0, (float) Math.log(3)}});
        Tensor loss = Losses.crossEntropy(logits, Tensor.vector(1).toLong(), 0.2f, Reduction.MEAN);
        assertEquals(0.9 * Math.log(4.0 / 3) + 0.1 * Math.log(4), loss.item(), 1e-6);
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"MEAN", "SUM", "NONE"})
    void nllPicksMinusTheTargetLogProbability(Reduction reduction) {
        Tensor logProbs = Tensor.randn(new Generator(13), N, C).logSoftmax(1);
        Tensor target = classes(14, N, C);
        assertMatches(nll(ref(logProbs), ref(target), reduction), Losses.nll(logProbs, target, reduction));
        assertMatches(nll(ref(logProbs), ref(target), reduction), new NLLLoss(reduction).forward(logProbs, target));
        assertMatches(ref(Losses.crossEntropy(logProbs, target, reduction)),
                Losses.nll(logProbs.logSoftmax(1), target, reduction));
    }

    @Test
    void singleSampleCrossEntropyTakesAScalarTarget() {
        Tensor logits = Tensor.vector(1, 2, 0.5f);
        double logSumExp = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5));
        Tensor loss = Losses.crossEntropy(logits, Tensor.scalar(2).toLong(), Reduction.MEAN);
        assertArrayEquals(new int[0], loss.shape());
        assertEquals(logSumExp - 0.5, loss.item(), 1e-6);
        assertEquals(-(1 - logSumExp), Losses.nll(logits.logSoftmax(0), Tensor.scalar(0).toLong(), Reduction.SUM).item(), 1e-6);
    }

    @Test
    void defaultLossModulesTakeTheMean() {
        Tensor x = Tensor.randn(new Generator(15), N, C);
        Tensor y = Tensor.randn(new Generator(16), N, C);
        Tensor t = classes(17, N, C);
        Tensor p = x.sigmoid();
        Tensor q = y.sigmoid();
        assertEquals(Losses.mse(x, y, Reduction.MEAN).item(), new MSELoss().forward(x, y).item());
        assertEquals(Losses.binaryCrossEntropy(p, q, Reduction.MEAN).item(), new BCELoss().forward(p, q).item());
        assertEquals(Losses.binaryCrossEntropyWithLogits(x, q, Reduction.MEAN).item(),
                new BCEWithLogitsLoss().forward(x, q).item());
        assertEquals(Losses.crossEntropy(x, t, Reduction.MEAN).item(), new CrossEntropyLoss().forward(x, t).item());
        assertEquals(Losses.nll(x, t, Reduction.MEAN).item(), new NLLLoss().forward(x, t).item());
    }

    // ---------------------------------------------------------------- edge values

    @Test
    void bceAtProbabilitiesZeroAndOneIsFinite() {
        // ln 0 is clamped at −100, as PyTorch: a confident wrong answer costs 100, a right one 0.
        Tensor p = Tensor.vector(0, 0, 1, 1).requiresGrad(true);
        Tensor y = Tensor.vector(0, 1, 0, 1);
        // Delta 0 accepts −0 for 0: −(0·(−100) + 1·ln 1) is a negative zero.
        assertArrayEquals(new float[] {0, 100, 100, 0}, Losses.binaryCrossEntropy(p, y, Reduction.NONE).toArray(), 0f);
        Tensor loss = Losses.binaryCrossEntropy(p, y, Reduction.MEAN);
        assertEquals(50f, loss.item());
        loss.backward();
        for (float g : p.grad().toArray()) {
            assertTrue(Float.isFinite(g), "BCE gradient at a probability of 0 or 1 is " + g);
        }
    }

    @Test
    void bceWithLogitsIsFiniteAtPlusMinusOneThousand() {
        Tensor z = Tensor.vector(1000, 1000, -1000, -1000).requiresGrad(true);
        Tensor y = Tensor.vector(0, 1, 0, 1);
        assertArrayEquals(new float[] {1000, 0, 0, 1000},
                Losses.binaryCrossEntropyWithLogits(z, y, Reduction.NONE).toArray(), 0f);
        Losses.binaryCrossEntropyWithLogits(z, y, Reduction.SUM).backward();
        // σ(z) − y: σ(1000) = 1 and σ(−1000) = 0 in float.
        assertArrayEquals(new float[] {1, 0, 0, -1}, z.grad().toArray(), 0f);
    }

    @Test
    void bceWithLogitsGradientIsSigmoidMinusTargetOverN() {
        float[] logits = {0, 0, 2.5f, -1.25f, 0.3f, -7};
        float[] targets = {0, 1, 1, 0, 0.25f, 1};
        Tensor z = Tensor.vector(logits).requiresGrad(true);
        Losses.binaryCrossEntropyWithLogits(z, Tensor.vector(targets), Reduction.MEAN).backward();
        float[] grad = z.grad().toArray();
        for (int i = 0; i < logits.length; i++) {
            double sigma = 1 / (1 + Math.exp(-logits[i]));
            assertEquals((sigma - targets[i]) / logits.length, grad[i], 1e-7, "element " + i);
        }
    }

    @Test
    void bceWithLogitsGradientAtZeroIsExactlyHalfMinusTarget() {
        Tensor z = Tensor.zeros(4).requiresGrad(true);
        Losses.binaryCrossEntropyWithLogits(z, Tensor.vector(0, 1, 0, 1), Reduction.MEAN).backward();
        assertArrayEquals(new float[] {0.125f, -0.125f, 0.125f, -0.125f}, z.grad().toArray());
        assertEquals((float) Math.log(2), Losses.binaryCrossEntropyWithLogits(Tensor.zeros(4),
                Tensor.vector(0, 1, 0, 1), Reduction.MEAN).item(), 1e-7f);
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        Tensor logits = Tensor.randn(new Generator(18), N, C).mul(2).requiresGrad(true);
        Tensor target = classes(19, N, C);
        Losses.crossEntropy(logits, target, Reduction.MEAN).backward();
        double[][] nll = negativeLogSoftmax(ref(logits));
        float[] t = target.toArray();
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < C; c++) {
                double expected = (Math.exp(-nll[i][c]) - (c == (int) t[i] ? 1 : 0)) / N;
                assertEquals(expected, logits.grad().get(i, c), 1e-7, "∂ℓ/∂z[" + i + ", " + c + "]");
            }
        }
    }

    @Test
    void crossEntropyIsFiniteForHugeLogits() {
        Tensor logits = Tensor.matrix(new float[][] {{1000, -1000, 0}, {-1000, 1000, 999}});
        Tensor loss = Losses.crossEntropy(logits, Tensor.vector(1, 2).toLong(), Reduction.NONE);
        assertEquals(2000, loss.get(0), 1e-2);
        assertEquals(1 + Math.log1p(Math.exp(-1)), loss.get(1), 1e-3);
    }

    // ---------------------------------------------------------------- gradients against finite differences

    private static void checkGradients(String name, Values inputs, Values targets, boolean targetIsClass,
            BiFunction<Tensor, Tensor, Tensor> soma, BiFunction<Ref, Ref, Ref> reference) {
        int[] inputShape = {N, targetIsClass ? C : 3};
        int[] targetShape = targetIsClass ? new int[] {N} : inputShape;
        GradCheck.of(name, x -> soma.apply(x[0], targetIsClass ? x[1].toLong() : x[1]), r -> reference.apply(r[0], r[1]))
                .input(inputs, inputShape)
                .constant(targets, targetShape)
                .run();
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"MEAN", "SUM", "NONE"})
    void gradientsMatchFiniteDifferences(Reduction reduction) {
        checkGradients("mse " + reduction, Values.uniform(-2, 2), Values.uniform(-2, 2), false,
                (x, y) -> Losses.mse(x, y, reduction), (x, y) -> mse(x, y, reduction));
        checkGradients("bce " + reduction, Values.uniform(0.05, 0.95), Values.uniform(0, 1), false,
                (x, y) -> Losses.binaryCrossEntropy(x, y, reduction), (x, y) -> bce(x, y, reduction));
        checkGradients("bceWithLogits " + reduction, Values.uniform(-6, 6), Values.uniform(0, 1), false,
                (x, y) -> Losses.binaryCrossEntropyWithLogits(x, y, reduction), (x, y) -> bceWithLogits(x, y, reduction));
        checkGradients("crossEntropy " + reduction, Values.uniform(-3, 3), Values.integers(0, C), true,
                (x, t) -> Losses.crossEntropy(x, t, reduction), (x, t) -> crossEntropy(x, t, 0, reduction));
        checkGradients("crossEntropy ε=0.2 " + reduction, Values.uniform(-3, 3), Values.integers(0, C), true,
                (x, t) -> Losses.crossEntropy(x, t, 0.2f, reduction), (x, t) -> crossEntropy(x, t, 0.2, reduction));
        checkGradients("nll " + reduction, Values.uniform(-3, 0), Values.integers(0, C), true,
                (x, t) -> Losses.nll(x, t, reduction), (x, t) -> nll(x, t, reduction));
    }

    @Test
    void mseGradientReachesTheTargetToo() {
        GradCheck.of("mse both", x -> Losses.mse(x[0], x[1], Reduction.MEAN), r -> mse(r[0], r[1], Reduction.MEAN))
                .input(4, 3).input(4, 3).run();
    }

    // ---------------------------------------------------------------- errors

    @Test
    void shapeMismatchesNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(3, 2);
        assertMessage(() -> Losses.mse(a, b, Reduction.MEAN), "mse", "[2, 3]", "[3, 2]");
        assertMessage(() -> Losses.binaryCrossEntropy(a, b, Reduction.MEAN), "binaryCrossEntropy", "[2, 3]", "[3, 2]");
        assertMessage(() -> Losses.binaryCrossEntropyWithLogits(a, b, Reduction.MEAN), "binaryCrossEntropyWithLogits",
                "[2, 3]", "[3, 2]");
        assertMessage(() -> Losses.crossEntropy(a, Tensor.zeros(3), Reduction.MEAN), "crossEntropy", "[2, 3]", "[3]");
        assertMessage(() -> Losses.crossEntropy(a, Tensor.zeros(2, 1), Reduction.MEAN), "crossEntropy", "[2, 3]", "[2, 1]");
        assertMessage(() -> Losses.nll(a, Tensor.zeros(4), Reduction.MEAN), "nll", "[2, 3]", "[4]");
    }

    @Test
    void badTargetsAreNamedWithTheirPosition() {
        Tensor logits = Tensor.zeros(3, 4);
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.vector(0, 4, 1).toLong(), Reduction.MEAN),
                "crossEntropy", "target 4 ", "position 1", "[0, 4)");
        assertMessage(() -> Losses.crossEntropy(logits, Tensor.vector(0, 1, -1).toLong(), Reduction.MEAN),
                "crossEntropy", "target -1 ", "position 2");
        assertMessage(() -> Losses.nll(logits, Tensor.vector(1.5f, 1, 1), Reduction.MEAN), "nll", "int64", "got float32");
    }

    @Test
    void invalidLabelSmoothingIsRejectedWithTheValue() {
        assertMessage(() -> new CrossEntropyLoss(Reduction.MEAN, 1.5f), "1.5");
        assertMessage(() -> new CrossEntropyLoss(Reduction.MEAN, -0.1f), "-0.1");
        assertMessage(() -> Losses.crossEntropy(Tensor.zeros(1, 2), Tensor.vector(0).toLong(), Float.NaN, Reduction.MEAN), "NaN");
    }

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), "'" + error.getMessage() + "' does not mention " + part);
        }
    }

    @Test
    void binaryCrossEntropyAtExactlyZeroAndOneHasPyTorchsGradient() {
        // ℓ = −(y·ln p + (1 − y)·ln(1 − p)), logs clamped at −100; ∂ℓ/∂p = (p − y)/max(p·(1 − p), 1e-12)
        Tensor p = Tensor.of(new float[] {0, 0, 1, 1}, 4).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {0, 1, 0, 1}, 4);
        Tensor loss = Losses.binaryCrossEntropy(p, y, Reduction.NONE);
        assertArrayEquals(new float[] {0, 100, 100, 0}, loss.toArray(), 0); // a delta: −0 is 0 here
        loss.sum().backward();
        assertArrayEquals(new float[] {0, -1e12f, 1e12f, 0}, p.grad().toArray(), 0);
    }
}
