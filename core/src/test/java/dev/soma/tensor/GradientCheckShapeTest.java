package dev.soma.tensor;

import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of the view ops (view, reshape, permute, transpose, narrow, slice with a step,
 * select, expand, squeeze, unsqueeze, flatten, contiguous), alone and chained, including views of
 * views and elementwise ops on non-contiguous views.
 */
class GradientCheckShapeTest {

    private static GradCheck check(String name, UnaryOperator<Tensor> soma, UnaryOperator<Ref> reference, int... shape) {
        return GradCheck.of(name, x -> soma.apply(x[0]), r -> reference.apply(r[0])).input(shape);
    }

    static Stream<GradCheck> reshapes() {
        return Stream.of(
                check("view [3,4]", x -> x.view(3, 4), r -> r.reshape(3, 4), 12),
                check("view [-1]", x -> x.view(-1), r -> r.reshape(-1), 17, 33),
                check("view [1] of rank 0", x -> x.view(1), r -> r.reshape(1)),
                check("view [] of [1,1]", x -> x.view(), r -> r.reshape(), 1, 1),
                check("view [2,-1,2]", x -> x.view(2, -1, 2), r -> r.reshape(2, -1, 2), 4, 1, 4),
                check("reshape [2,-1]", x -> x.reshape(2, -1), r -> r.reshape(2, -1), 3, 4),
                check("reshape [207]", x -> x.reshape(207), r -> r.reshape(207), 9, 23),
                check("reshape of a transpose", x -> x.t().reshape(-1), r -> r.transpose(0, 1).reshape(-1), 15, 17),
                check("reshape size 0", x -> x.reshape(-1, 3), r -> r.reshape(0, 3), 2, 0, 3),
                check("view of a view", x -> x.view(6, 2).view(3, 2, 2), r -> r.reshape(3, 2, 2), 12));
    }

    static Stream<GradCheck> reorders() {
        return Stream.of(
                check("permute (2,0,1)", x -> x.permute(2, 0, 1), r -> r.permute(2, 0, 1), 2, 3, 4),
                check("permute (1,2,0)", x -> x.permute(1, 2, 0), r -> r.permute(1, 2, 0), 2, 3, 4),
                check("permute (-1,0,1)", x -> x.permute(-1, 0, 1), r -> r.permute(2, 0, 1), 3, 1, 16),
                check("permute identity", x -> x.permute(0, 1), r -> r, 3, 4),
                check("permute rank 0", x -> x.permute(), r -> r),
                check("permute size 0", x -> x.permute(2, 1, 0), r -> r.permute(2, 1, 0), 2, 0, 3),
                check("transpose (0,1)", x -> x.transpose(0, 1), r -> r.transpose(0, 1), 17, 33),
                check("transpose (0,2)", x -> x.transpose(0, 2), r -> r.transpose(0, 2), 2, 3, 4),
                check("transpose (-1,-2)", x -> x.transpose(-1, -2), r -> r.transpose(1, 2), 2, 3, 4),
                check("t() of a vector", Tensor::t, r -> r, 16),
                check("t() twice", x -> x.t().t(), r -> r, 3, 5),
                check("permute of a permute", x -> x.permute(1, 2, 0).permute(2, 0, 1), r -> r, 2, 3, 4));
    }

    static Stream<GradCheck> slices() {
        return Stream.of(
                check("narrow dim 1", x -> x.narrow(1, 2, 3), r -> r.slice(1, 2, 5, 1), 5, 7),
                check("narrow whole dim", x -> x.narrow(0, 0, 5), r -> r, 5, 7),
                check("narrow length 0", x -> x.narrow(1, 3, 0), r -> r.slice(1, 3, 3, 1), 5, 7),
                check("narrow at 16 of 33", x -> x.narrow(0, 16, 17), r -> r.slice(0, 16, 33, 1), 33),
                check("slice step 2", x -> x.slice(0, 1, 9, 2), r -> r.slice(0, 1, 9, 2), 10),
                check("slice step 3", x -> x.slice(1, 0, 17, 3), r -> r.slice(1, 0, 17, 3), 6, 17),
                check("slice step 16", x -> x.slice(0, 3, 207, 16), r -> r.slice(0, 3, 207, 16), 207),
                check("slice clamped end", x -> x.slice(0, 3, 1000, 4), r -> r.slice(0, 3, 207, 4), 207),
                check("slice negative start", x -> x.slice(1, -4, 33, 1), r -> r.slice(1, 29, 33, 1), 2, 33),
                check("slice negative end", x -> x.slice(0, 0, -1, 2), r -> r.slice(0, 0, 14, 2), 15, 2),
                check("slice empty", x -> x.slice(0, 5, 5, 2), r -> r.slice(0, 5, 5, 2), 7, 3),
                check("slice of a slice", x -> x.slice(0, 1, 15, 2).slice(0, 1, 7, 3),
                        r -> r.slice(0, 1, 15, 2).slice(0, 1, 7, 3), 15),
                check("slice of a transpose", x -> x.t().slice(0, 1, 5, 2), r -> r.transpose(0, 1).slice(0, 1, 5, 2), 3, 5),
                check("select dim 0", x -> x.select(0, 1), r -> r.select(0, 1), 3, 4),
                check("select dim -1", x -> x.select(1, -1), r -> r.select(1, -1), 3, 4),
                check("select middle", x -> x.select(1, 2), r -> r.select(1, 2), 2, 3, 4),
                check("select to rank 0", x -> x.select(0, 3), r -> r.select(0, 3), 5),
                check("select of a size-0 tensor", x -> x.select(0, 1), r -> r.select(0, 1), 2, 0, 3));
    }

    static Stream<GradCheck> expands() {
        return Stream.of(
                check("expand [3,1]→[3,4]", x -> x.expand(3, 4), r -> r.expand(3, 4), 3, 1),
                check("expand [1]→[207]", x -> x.expand(207), r -> r.expand(207), 1),
                check("expand []→[2,3]", x -> x.expand(2, 3), r -> r.expand(2, 3)),
                check("expand [4]→[2,3,4]", x -> x.expand(2, 3, 4), r -> r.expand(2, 3, 4), 4),
                check("expand [2,1,3]→[2,5,3]", x -> x.expand(-1, 5, -1), r -> r.expand(2, 5, 3), 2, 1, 3),
                check("expand to size 0", x -> x.expand(0, 3), r -> r.expand(0, 3), 1, 3),
                check("expand no-op", x -> x.expand(3, 4), r -> r, 3, 4),
                check("expand of a transpose", x -> x.t().expand(2, 4, 3), r -> r.transpose(0, 1).expand(2, 4, 3), 3, 4),
                check("expand twice", x -> x.expand(3, 1, 2).expand(4, 3, 5, 2), r -> r.expand(4, 3, 5, 2), 1, 2));
    }

    static Stream<GradCheck> squeezes() {
        return Stream.of(
                check("squeeze all", Tensor::squeeze, Ref::squeeze, 1, 3, 1, 4),
                check("squeeze(2)", x -> x.squeeze(2), r -> r.squeeze(2), 1, 3, 1, 4),
                check("squeeze(-4)", x -> x.squeeze(-4), r -> r.squeeze(0), 1, 3, 1, 4),
                check("squeeze of size 3 is a no-op", x -> x.squeeze(1), r -> r, 1, 3, 1, 4),
                check("squeeze to rank 0", Tensor::squeeze, Ref::squeeze, 1, 1),
                check("squeeze rank 0", Tensor::squeeze, Ref::squeeze),
                check("squeeze keeps size 0", Tensor::squeeze, Ref::squeeze, 1, 0, 1),
                check("unsqueeze(0)", x -> x.unsqueeze(0), r -> r.unsqueeze(0), 3, 4),
                check("unsqueeze(1)", x -> x.unsqueeze(1), r -> r.unsqueeze(1), 3, 4),
                check("unsqueeze(2)", x -> x.unsqueeze(2), r -> r.unsqueeze(2), 3, 4),
                check("unsqueeze(-1)", x -> x.unsqueeze(-1), r -> r.unsqueeze(2), 3, 4),
                check("unsqueeze(-3)", x -> x.unsqueeze(-3), r -> r.unsqueeze(0), 3, 4),
                check("unsqueeze rank 0", x -> x.unsqueeze(0), r -> r.unsqueeze(0)),
                check("unsqueeze of a transpose", x -> x.t().unsqueeze(1), r -> r.transpose(0, 1).unsqueeze(1), 3, 4),
                check("flatten all", x -> x.flatten(0, -1), r -> r.reshape(-1), 2, 3, 4),
                check("flatten (1,2)", x -> x.flatten(1, 2), r -> r.reshape(2, 12), 2, 3, 4),
                check("flatten (0,1)", x -> x.flatten(0, 1), r -> r.reshape(6, 4), 2, 3, 4),
                check("flatten()", Tensor::flatten, r -> r.reshape(-1), 17, 33),
                check("flatten() rank 0", Tensor::flatten, r -> r.reshape(1)),
                check("flatten of a transpose", x -> x.t().flatten(), r -> r.transpose(0, 1).reshape(-1), 16, 3),
                check("flatten size 0", x -> x.flatten(0, 1), r -> r.reshape(0, 3), 2, 0, 3));
    }

    static Stream<GradCheck> contiguous() {
        return Stream.of(
                check("contiguous of transpose", x -> x.t().contiguous(), r -> r.transpose(0, 1), 17, 33),
                check("contiguous of strided slice", x -> x.slice(1, 0, 16, 3).contiguous(), r -> r.slice(1, 0, 16, 3), 4, 16),
                check("contiguous of expand", x -> x.expand(3, 4).contiguous(), r -> r.expand(3, 4), 3, 1),
                check("contiguous of permute", x -> x.permute(2, 0, 1).contiguous(), r -> r.permute(2, 0, 1), 2, 3, 4),
                check("contiguous when contiguous", Tensor::contiguous, r -> r, 15),
                check("contiguous then view", x -> x.t().contiguous().view(-1), r -> r.transpose(0, 1).reshape(-1), 3, 5));
    }

    /** Elementwise ops and reductions read non-contiguous views correctly, in forward and backward. */
    static Stream<GradCheck> opsOnViews() {
        return Stream.of(
                check("exp of a transpose", x -> x.t().exp(), r -> r.transpose(0, 1).map(Math::exp), 17, 33),
                check("transpose plus itself", x -> x.add(x.t()), r -> r.add(r.transpose(0, 1)), 16, 16),
                check("strided slice times a slice", x -> x.slice(0, 0, 16, 2).mul(x.slice(0, 1, 17, 2)),
                        r -> r.slice(0, 0, 16, 2).mul(r.slice(0, 1, 17, 2)), 17, 3),
                check("expand times tanh", x -> x.expand(5, 3).mul(x.tanh()),
                        r -> r.expand(5, 3).mul(r.map(Math::tanh)), 1, 3),
                check("select sum of rows", x -> x.select(0, 0).add(x.select(0, 2)),
                        r -> r.select(0, 0).add(r.select(0, 2)), 3, 33),
                check("permuted sum over dims", x -> x.permute(2, 0, 1).sum(new int[] {0, 2}, false),
                        r -> r.permute(2, 0, 1).sum(new int[] {0, 2}, false), 2, 3, 4),
                check("narrow then unsqueeze then expand", x -> x.narrow(1, 1, 2).unsqueeze(0).expand(3, 4, 2),
                        r -> r.slice(1, 1, 3, 1).unsqueeze(0).expand(3, 4, 2), 4, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"reshapes", "reorders", "slices", "expands", "squeezes", "contiguous", "opsOnViews"})
    void views(GradCheck check) {
        check.run();
    }
}
