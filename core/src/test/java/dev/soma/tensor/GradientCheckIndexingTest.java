package dev.soma.tensor;

import static dev.soma.testing.Values.fixed;
import static dev.soma.testing.Values.integers;

import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of the ops that pick, place and join by index: indexSelect and gather (repeated
 * indices must accumulate), scatterAdd (gradients for both the target and the source), cat, stack,
 * split and chunk. Index tensors are constants, passed to both sides unchanged.
 */
class GradientCheckIndexingTest {

    private static GradCheck indexSelect(int dim, int[] shape, double[] index) {
        return GradCheck.of("indexSelect(" + dim + ")", x -> x[0].indexSelect(dim, x[1].toLong()),
                r -> r[0].indexSelect(dim, r[1].ints())).input(shape).constant(fixed(index), index.length);
    }

    static Stream<GradCheck> indexSelect() {
        double[] many = new double[300];
        for (int i = 0; i < many.length; i++) {
            many[i] = (i * 37) % 207;
        }
        return Stream.of(
                indexSelect(0, new int[] {5, 3}, new double[] {2, 0, 2, 4, 2}),
                indexSelect(1, new int[] {3, 17}, new double[] {16, 0, 16, 8, 15, 1, 1}),
                indexSelect(1, new int[] {2, 3, 4}, new double[] {1, 1}),
                indexSelect(-1, new int[] {2, 3, 4}, new double[] {3, 0, 3}),
                indexSelect(0, new int[] {4, 2}, new double[0]),
                indexSelect(0, new int[] {207}, many),
                indexSelect(2, new int[] {2, 0, 3}, new double[] {0, 2}),
                GradCheck.of("indexSelect random", x -> x[0].indexSelect(0, x[1].toLong()), r -> r[0].indexSelect(0, r[1].ints()))
                        .input(16, 3).constant(integers(0, 16), 33));
    }

    private static GradCheck gather(int dim, int[] shape, int[] indexShape) {
        int size = shape[dim < 0 ? dim + shape.length : dim];
        return GradCheck.of("gather(" + dim + ")", x -> x[0].gather(dim, x[1].toLong()), r -> r[0].gather(dim, r[1]))
                .input(shape).constant(integers(0, size), indexShape);
    }

    static Stream<GradCheck> gather() {
        return Stream.of(
                gather(1, new int[] {3, 4}, new int[] {3, 2}),
                gather(1, new int[] {3, 4}, new int[] {3, 9}),
                gather(0, new int[] {3, 4}, new int[] {2, 4}),
                gather(0, new int[] {3, 4}, new int[] {7, 2}),
                gather(2, new int[] {2, 3, 4}, new int[] {2, 3, 6}),
                gather(1, new int[] {2, 3, 4}, new int[] {2, 2, 3}),
                gather(-1, new int[] {4, 17}, new int[] {4, 1}),
                gather(0, new int[] {207}, new int[] {33}),
                gather(1, new int[] {3, 4}, new int[] {3, 0}),
                gather(0, new int[] {16, 16}, new int[] {17, 16}));
    }

    private static GradCheck scatterAdd(int dim, int[] shape, int[] indexShape) {
        int size = shape[dim < 0 ? dim + shape.length : dim];
        return GradCheck.of("scatterAdd(" + dim + ")", x -> x[0].scatterAdd(dim, x[1].toLong(), x[2]),
                r -> r[0].scatterAdd(dim, r[1], r[2])).input(shape).constant(integers(0, size), indexShape).input(indexShape);
    }

    static Stream<GradCheck> scatterAdd() {
        return Stream.of(
                scatterAdd(1, new int[] {3, 5}, new int[] {3, 4}),
                scatterAdd(1, new int[] {3, 5}, new int[] {2, 12}),
                scatterAdd(0, new int[] {4, 3}, new int[] {6, 3}),
                scatterAdd(2, new int[] {2, 3, 4}, new int[] {2, 3, 4}),
                scatterAdd(-2, new int[] {2, 3, 4}, new int[] {1, 5, 2}),
                scatterAdd(0, new int[] {17}, new int[] {207}),
                scatterAdd(1, new int[] {2, 4}, new int[] {2, 0}),
                // The scattered result feeds a nonlinearity, so the output gradient is not uniform.
                GradCheck.of("scatterAdd then tanh", x -> x[0].scatterAdd(0, x[1].toLong(), x[2]).tanh(),
                        r -> r[0].scatterAdd(0, r[1], r[2]).map(Math::tanh))
                        .input(5).constant(integers(0, 5), 9).input(9));
    }

    private static GradCheck cat(int dim, int[]... shapes) {
        GradCheck check = GradCheck.of("cat(" + dim + ")", x -> Tensor.cat(List.of(x), dim), r -> Ref.cat(dim, r));
        for (int[] shape : shapes) {
            check.input(shape);
        }
        return check;
    }

    static Stream<GradCheck> cat() {
        return Stream.of(
                cat(0, new int[] {2, 3}, new int[] {4, 3}),
                cat(1, new int[] {3, 1}, new int[] {3, 16}, new int[] {3, 17}),
                cat(-1, new int[] {2, 2, 15}, new int[] {2, 2, 1}),
                cat(1, new int[] {2, 0, 3}, new int[] {2, 2, 3}),
                cat(0, new int[] {15}, new int[] {17}, new int[] {1}),
                cat(0, new int[] {4}),
                cat(0, new int[] {0, 5}, new int[] {0, 5}),
                GradCheck.of("cat [x, x]", x -> Tensor.cat(List.of(x[0], x[0]), 0), r -> Ref.cat(0, r[0], r[0])).input(3, 2),
                GradCheck.of("cat [x, exp x] along 1", x -> Tensor.cat(List.of(x[0], x[0].exp()), 1),
                        r -> Ref.cat(1, r[0], r[0].map(Math::exp))).input(4, 3),
                GradCheck.of("cat of a transpose", x -> Tensor.cat(List.of(x[0].t(), x[1]), 0),
                        r -> Ref.cat(0, r[0].transpose(0, 1), r[1])).input(3, 2).input(4, 3));
    }

    private static GradCheck stack(int dim, int count, int... shape) {
        GradCheck check = GradCheck.of("stack(" + dim + ")", x -> Tensor.stack(List.of(x), dim), r -> Ref.stack(dim, r));
        for (int i = 0; i < count; i++) {
            check.input(shape);
        }
        return check;
    }

    static Stream<GradCheck> stack() {
        return Stream.of(
                stack(0, 3, 3, 4), stack(1, 3, 3, 4), stack(2, 3, 3, 4), stack(-1, 2, 3, 4), stack(-3, 2, 3, 4),
                stack(0, 3), stack(0, 2, 17), stack(1, 2, 2, 0), stack(0, 1, 16),
                GradCheck.of("stack [x, x]", x -> Tensor.stack(List.of(x[0], x[0]), 1), r -> Ref.stack(1, r[0], r[0]))
                        .input(5));
    }

    /** Split into pieces, then cat them back in reverse: every piece's gradient lands in its own region. */
    private static GradCheck splitReversed(String name, Function<Tensor, List<Tensor>> split,
            int dim, int[] bounds, int... shape) {
        return GradCheck.of(name, x -> {
            List<Tensor> pieces = new ArrayList<>(split.apply(x[0]));
            if (pieces.size() != bounds.length - 1) {
                throw new AssertionError(name + ": " + pieces.size() + " pieces, expected " + (bounds.length - 1));
            }
            Collections.reverse(pieces);
            return Tensor.cat(pieces, dim);
        }, r -> {
            Ref[] pieces = new Ref[bounds.length - 1];
            for (int p = 0; p < pieces.length; p++) {
                pieces[pieces.length - 1 - p] = r[0].slice(dim, bounds[p], bounds[p + 1], 1);
            }
            return Ref.cat(dim, pieces);
        }).input(shape);
    }

    static Stream<GradCheck> splitAndChunk() {
        return Stream.of(
                splitReversed("split(3, 0)", x -> x.split(3, 0), 0, new int[] {0, 3, 6, 7}, 7, 5),
                splitReversed("split(16, 0)", x -> x.split(16, 0), 0, new int[] {0, 16, 32, 33}, 33),
                splitReversed("split(2, -1)", x -> x.split(2, -1), 1, new int[] {0, 2, 4}, 3, 4),
                splitReversed("chunk(3, 1)", x -> x.chunk(3, 1), 1, new int[] {0, 6, 12, 17}, 4, 17),
                splitReversed("chunk(16, 0)", x -> x.chunk(16, 0), 0,
                        new int[] {0, 13, 26, 39, 52, 65, 78, 91, 104, 117, 130, 143, 156, 169, 182, 195, 207}, 207),
                GradCheck.of("chunk(2, 0) of a transpose", x -> {
                    List<Tensor> pieces = x[0].t().chunk(2, 0);
                    return Tensor.cat(List.of(pieces.get(1), pieces.get(0)), 0);
                }, r -> {
                    Ref t = r[0].transpose(0, 1);
                    return Ref.cat(0, t.slice(0, 3, 5, 1), t.slice(0, 0, 3, 1));
                }).input(3, 5),
                GradCheck.of("split(2, 1) middle piece", x -> x[0].split(2, 1).get(1).exp(),
                        r -> r[0].slice(1, 2, 4, 1).map(Math::exp)).input(3, 5),
                GradCheck.of("chunk pieces multiplied", x -> {
                    List<Tensor> halves = x[0].chunk(2, 0);
                    return halves.get(0).mul(halves.get(1));
                }, r -> r[0].slice(0, 0, 8, 1).mul(r[0].slice(0, 8, 16, 1))).input(16, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"indexSelect", "gather", "scatterAdd", "cat", "stack", "splitAndChunk"})
    void indexing(GradCheck check) {
        check.run();
    }
}
