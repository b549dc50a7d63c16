package dev.soma.tensor;

import static dev.soma.testing.Values.distinct;
import static dev.soma.testing.Values.uniform;

import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import dev.soma.testing.Values;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of the reductions (sum, mean, max, min, var, std, logsumexp) over many dimension
 * sets with and without keepDim, and of softmax and logSoftmax along each dimension. Inputs of max
 * and min are distinct, so that a small step never changes which element wins.
 */
class GradientCheckReductionTest {

    /** One reduction: Soma's and the reference's, given dims and keepDim. */
    private record Reduction(String name, Values values, Soma soma, Reference reference) {
    }

    @FunctionalInterface
    private interface Soma {
        Tensor apply(Tensor x, int[] dims, boolean keepDim);
    }

    @FunctionalInterface
    private interface Reference {
        Ref apply(Ref x, int[] dims, boolean keepDim);
    }

    private static final List<Reduction> REDUCTIONS = List.of(
            new Reduction("sum", uniform(-2, 2), Tensor::sum, Ref::sum),
            new Reduction("mean", uniform(-2, 2), Tensor::mean, Ref::mean),
            new Reduction("max", distinct(-2, 2), Tensor::max, Ref::max),
            new Reduction("min", distinct(-2, 2), Tensor::min, Ref::min),
            new Reduction("var", uniform(-2, 2), (x, d, k) -> x.var(d, 1, k), (x, d, k) -> x.var(d, 1, k)),
            new Reduction("var correction 0", uniform(-2, 2), (x, d, k) -> x.var(d, 0, k), (x, d, k) -> x.var(d, 0, k)),
            new Reduction("std", uniform(-2, 2), (x, d, k) -> x.std(d, 1, k),
                    (x, d, k) -> x.var(d, 1, k).map(Math::sqrt)),
            new Reduction("logsumexp", uniform(-3, 3), Tensor::logsumexp, Ref::logsumexp));

    /** Dimension sets of a rank-3 tensor; {} means all of them. */
    private static final int[][] DIMS = {{}, {0}, {1}, {2}, {-1}, {0, 2}, {1, 2}, {2, 0}, {0, 1, 2}};

    private static GradCheck check(Reduction op, int[] shape, int[] dims, boolean keepDim) {
        return GradCheck.of(op.name + " dims " + Arrays.toString(dims) + (keepDim ? " keepDim" : ""),
                x -> op.soma.apply(x[0], dims, keepDim), r -> op.reference.apply(r[0], dims, keepDim))
                .input(op.values, shape);
    }

    static Stream<GradCheck> overDims() {
        return REDUCTIONS.stream().flatMap(op -> Stream.of(DIMS).flatMap(dims -> Stream.of(true, false)
                .map(keepDim -> check(op, new int[] {3, 4, 5}, dims, keepDim))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void overDims(GradCheck check) {
        check.run();
    }

    /** Lane-count lengths, rank 0, size-1 dims, a size-0 dim that is not reduced. */
    static Stream<GradCheck> otherShapes() {
        Stream<GradCheck> all = REDUCTIONS.stream().flatMap(op -> Stream.of(
                check(op, new int[] {207}, new int[0], false),
                check(op, new int[] {16}, new int[] {0}, true),
                check(op, new int[] {17, 33}, new int[] {1}, false),
                check(op, new int[] {17, 33}, new int[] {0}, true),
                check(op, new int[] {15, 1}, new int[] {0}, false),
                check(op, new int[] {2, 0, 3}, new int[] {2}, false)));
        // Rank 0 (dim 0 means the only "dimension", as in PyTorch); var of one element divides by 0.
        Stream<GradCheck> rankZero = REDUCTIONS.stream().filter(op -> !op.name.startsWith("var") && !op.name.equals("std"))
                .flatMap(op -> Stream.of(check(op, new int[0], new int[0], false),
                        check(op, new int[0], new int[] {0}, true)));
        // Reducing a size-0 dim: the sum of nothing is 0 and its gradient has no elements.
        Reduction sum = REDUCTIONS.getFirst();
        Stream<GradCheck> empty = Stream.of(check(sum, new int[] {2, 0, 3}, new int[] {1}, false),
                check(sum, new int[] {2, 0, 3}, new int[] {0, 1}, true), check(sum, new int[] {0}, new int[0], false));
        return Stream.of(all, rankZero, empty).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void otherShapes(GradCheck check) {
        check.run();
    }

    /** The all-dims overloads: sum(), mean(), max(), min(), var(), std(). */
    static Stream<GradCheck> wholeTensor() {
        int[] all = new int[0];
        return Stream.of(
                GradCheck.of("sum()", x -> x[0].sum(), r -> r[0].sum(all, false)).input(33, 2),
                GradCheck.of("mean()", x -> x[0].mean(), r -> r[0].mean(all, false)).input(33, 2),
                GradCheck.of("max()", x -> x[0].max(), r -> r[0].max(all, false)).input(distinct(-2, 2), 17, 2),
                GradCheck.of("min()", x -> x[0].min(), r -> r[0].min(all, false)).input(distinct(-2, 2), 17, 2),
                GradCheck.of("var()", x -> x[0].var(), r -> r[0].var(all, 1, false)).input(16, 3),
                GradCheck.of("std()", x -> x[0].std(), r -> r[0].var(all, 1, false).map(Math::sqrt)).input(16, 3),
                GradCheck.of("sum(1)", x -> x[0].sum(1), r -> r[0].sum(new int[] {1}, false)).input(3, 4, 2),
                GradCheck.of("mean(-1)", x -> x[0].mean(-1), r -> r[0].mean(new int[] {-1}, false)).input(3, 4, 2),
                GradCheck.of("max(0)", x -> x[0].max(0), r -> r[0].max(new int[] {0}, false)).input(distinct(-2, 2), 3, 4),
                GradCheck.of("min(1)", x -> x[0].min(1), r -> r[0].min(new int[] {1}, false)).input(distinct(-2, 2), 3, 4),
                GradCheck.of("logsumexp(1)", x -> x[0].logsumexp(1), r -> r[0].logsumexp(new int[] {1}, false))
                        .input(3, 4, 2),
                // Reductions of a non-contiguous view.
                GradCheck.of("sum(0) of transpose", x -> x[0].t().sum(0), r -> r[0].transpose(0, 1).sum(new int[] {0}, false))
                        .input(17, 33),
                GradCheck.of("max(1) of transpose", x -> x[0].t().max(1), r -> r[0].transpose(0, 1).max(new int[] {1}, false))
                        .input(distinct(-2, 2), 5, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void wholeTensor(GradCheck check) {
        check.run();
    }

    static Stream<GradCheck> softmax() {
        int[][] cases = {
            {0, 3, 4, 5}, {1, 3, 4, 5}, {2, 3, 4, 5}, {-1, 3, 4, 5}, {-3, 3, 4, 5}, {0, 207}, {1, 17, 33}, {0, 17, 33},
            {0, 1, 16}, {1, 16, 1}, {1, 0, 4}, {0}};
        return Stream.of(cases).flatMap(c -> {
            int dim = c[0];
            int[] shape = Arrays.copyOfRange(c, 1, c.length);
            return Stream.of(
                    GradCheck.of("softmax(" + dim + ")", x -> x[0].softmax(dim), r -> r[0].softmax(dim))
                            .input(uniform(-3, 3), shape),
                    GradCheck.of("logSoftmax(" + dim + ")", x -> x[0].logSoftmax(dim), r -> r[0].logSoftmax(dim))
                            .input(uniform(-3, 3), shape));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void softmax(GradCheck check) {
        check.run();
    }

    /** Magnitudes where e^x overflows or underflows float32: the max-shift must keep everything finite. */
    static Stream<GradCheck> largeMagnitudes() {
        return Stream.of(uniform(60, 100), uniform(-100, -60), uniform(-100, 100)).flatMap(values -> Stream.of(
                GradCheck.of("logsumexp large", x -> x[0].logsumexp(new int[] {1}, false),
                        r -> r[0].logsumexp(new int[] {1}, false)).input(values, 4, 17),
                GradCheck.of("softmax large", x -> x[0].softmax(1), r -> r[0].softmax(1)).input(values, 4, 17),
                GradCheck.of("logSoftmax large", x -> x[0].logSoftmax(0), r -> r[0].logSoftmax(0)).input(values, 17, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void largeMagnitudes(GradCheck check) {
        check.run();
    }
}
