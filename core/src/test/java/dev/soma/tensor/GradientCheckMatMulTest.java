package dev.soma.tensor;

import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of {@code matmul} with PyTorch's rules: vector·vector, matrix·vector,
 * vector·matrix, matrices at sizes around the SIMD lane counts, empty inner and outer sizes, batches
 * whose batch dimensions broadcast, and operands that are non-contiguous views (transposed, permuted,
 * expanded, strided), which gemm reads in place.
 */
class GradientCheckMatMulTest {

    private static GradCheck product(int[] a, int[] b) {
        return GradCheck.of("matmul", x -> x[0].matmul(x[1]), r -> r[0].matmul(r[1])).input(a).input(b);
    }

    static Stream<GradCheck> shapes() {
        int[][][] pairs = {
            // 1-D · 1-D: a dot product, rank 0.
            {{1}, {1}}, {{16}, {16}}, {{17}, {17}}, {{207}, {207}}, {{0}, {0}},
            // 2-D · 1-D and 1-D · 2-D.
            {{3, 4}, {4}}, {{17, 33}, {33}}, {{1, 1}, {1}}, {{4}, {4, 3}}, {{33}, {33, 15}}, {{0}, {0, 3}},
            // 2-D · 2-D.
            {{2, 3}, {3, 4}}, {{1, 1}, {1, 1}}, {{17, 33}, {33, 15}}, {{16, 16}, {16, 16}}, {{15, 17}, {17, 1}},
            {{1, 207}, {207, 2}}, {{33, 1}, {1, 17}}, {{2, 0}, {0, 3}}, {{0, 3}, {3, 2}}, {{3, 2}, {2, 0}},
            // Batched, with broadcast batch dimensions, and with vectors.
            {{2, 3, 4}, {4, 5}}, {{3, 4}, {2, 4, 5}}, {{2, 3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {5, 4, 2}},
            {{1, 3, 4}, {2, 4, 5}}, {{4}, {2, 4, 3}}, {{2, 3, 4}, {4}}, {{2, 17, 33}, {33, 15}},
            {{3, 1, 2, 16}, {1, 4, 16, 17}}, {{0, 2, 3}, {3, 4}}, {{2, 2, 0}, {2, 0, 3}}};
        return Stream.of(pairs).map(p -> product(p[0], p[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void shapes(GradCheck check) {
        check.run();
    }

    private static GradCheck viewed(String name, Function<Tensor[], Tensor> soma, Function<Ref[], Ref> reference,
            int[] a, int[] b) {
        return GradCheck.of(name, soma, reference).input(a).input(b);
    }

    /** Operands that are views: gemm reads transposes in place, other layouts are copied first. */
    static Stream<GradCheck> viewOperands() {
        return Stream.of(
                viewed("aᵀ·b", x -> x[0].t().matmul(x[1]), r -> r[0].transpose(0, 1).matmul(r[1]),
                        new int[] {33, 17}, new int[] {33, 15}),
                viewed("a·bᵀ", x -> x[0].matmul(x[1].t()), r -> r[0].matmul(r[1].transpose(0, 1)),
                        new int[] {17, 33}, new int[] {15, 33}),
                viewed("aᵀ·bᵀ", x -> x[0].t().matmul(x[1].t()), r -> r[0].transpose(0, 1).matmul(r[1].transpose(0, 1)),
                        new int[] {16, 3}, new int[] {5, 16}),
                viewed("batched aᵀ·b", x -> x[0].transpose(-1, -2).matmul(x[1]),
                        r -> r[0].transpose(-1, -2).matmul(r[1]), new int[] {2, 4, 3}, new int[] {2, 4, 5}),
                viewed("batched a·bᵀ broadcast", x -> x[0].matmul(x[1].transpose(1, 2)),
                        r -> r[0].matmul(r[1].transpose(1, 2)), new int[] {3, 4}, new int[] {2, 5, 4}),
                viewed("permuted batch", x -> x[0].permute(1, 0, 2).matmul(x[1]),
                        r -> r[0].permute(1, 0, 2).matmul(r[1]), new int[] {3, 2, 4}, new int[] {2, 4, 5}),
                viewed("permuted matrices", x -> x[0].permute(2, 0, 1).matmul(x[1].permute(1, 2, 0)),
                        r -> r[0].permute(2, 0, 1).matmul(r[1].permute(1, 2, 0)), new int[] {3, 4, 2}, new int[] {5, 2, 4}),
                viewed("expanded batch", x -> x[0].expand(3, 2, 4).matmul(x[1]),
                        r -> r[0].expand(3, 2, 4).matmul(r[1]), new int[] {2, 4}, new int[] {3, 4, 5}),
                viewed("expanded columns", x -> x[0].matmul(x[1].expand(4, 6)),
                        r -> r[0].matmul(r[1].expand(4, 6)), new int[] {3, 4}, new int[] {4, 1}),
                viewed("strided rows", x -> x[0].slice(0, 1, 7, 2).matmul(x[1].slice(1, 0, 9, 3)),
                        r -> r[0].slice(0, 1, 7, 2).matmul(r[1].slice(1, 0, 9, 3)), new int[] {7, 4}, new int[] {4, 9}),
                viewed("narrowed columns", x -> x[0].narrow(1, 1, 16).matmul(x[1].narrow(0, 2, 16)),
                        r -> r[0].slice(1, 1, 17, 1).matmul(r[1].slice(0, 2, 18, 1)), new int[] {5, 17}, new int[] {18, 3}),
                viewed("selected vector", x -> x[0].matmul(x[1].select(1, 2)),
                        r -> r[0].matmul(r[1].select(1, 2)), new int[] {5, 4}, new int[] {4, 3}),
                viewed("vector of a transpose", x -> x[0].select(0, 1).matmul(x[1].t()),
                        r -> r[0].select(0, 1).matmul(r[1].transpose(0, 1)), new int[] {2, 17}, new int[] {15, 17}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void viewOperands(GradCheck check) {
        check.run();
    }

    /** One tensor as both operands: the two gradient contributions must add up. */
    static Stream<GradCheck> sharedOperands() {
        return Stream.of(
                GradCheck.of("x·x", x -> x[0].matmul(x[0]), r -> r[0].matmul(r[0])).input(5, 5),
                GradCheck.of("x·xᵀ", x -> x[0].matmul(x[0].t()), r -> r[0].matmul(r[0].transpose(0, 1))).input(17, 16),
                GradCheck.of("xᵀ·x", x -> x[0].t().matmul(x[0]), r -> r[0].transpose(0, 1).matmul(r[0])).input(15, 4),
                GradCheck.of("v·v", x -> x[0].matmul(x[0]), r -> r[0].matmul(r[0])).input(33),
                GradCheck.of("x·x·x batched", x -> x[0].matmul(x[0]).matmul(x[0]),
                        r -> r[0].matmul(r[0]).matmul(r[0])).input(2, 4, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sharedOperands(GradCheck check) {
        check.run();
    }
}
