package dev.soma.tensor;

import static dev.soma.testing.Values.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused primitives ({@link Fused}) against their composed definitions, values and gradients. */
class GradientCheckFusedTest {

    private static double clampedLog(double v) {
        return Math.max(Math.log(Math.max(v, Float.MIN_VALUE)), -100);
    }

    static Stream<GradCheck> fused() {
        return Stream.of(
                GradCheck.of("linear with bias", x -> Fused.linear(x[0], x[1], x[2]),
                        r -> r[0].matmul(r[1].transpose(0, 1)).add(r[2])).input(5, 3).input(4, 3).input(4),
                GradCheck.of("linear without bias", x -> Fused.linear(x[0], x[1], null),
                        r -> r[0].matmul(r[1].transpose(0, 1))).input(17, 33).input(15, 33),
                GradCheck.of("linear of a vector", x -> Fused.linear(x[0], x[1], x[2]),
                        r -> r[0].unsqueeze(0).matmul(r[1].transpose(0, 1)).squeeze(0).add(r[2]))
                        .input(7).input(2, 7).input(2),
                GradCheck.of("linear of a batch of sequences", x -> Fused.linear(x[0], x[1], x[2]),
                        r -> r[0].matmul(r[1].transpose(0, 1)).add(r[2])).input(2, 3, 16).input(31, 16).input(31),
                GradCheck.of("linear of a transposed input", x -> Fused.linear(x[0].t(), x[1], x[2]),
                        r -> r[0].transpose(0, 1).matmul(r[1].transpose(0, 1)).add(r[2])).input(3, 4).input(2, 3).input(2),
                GradCheck.of("binary cross-entropy", x -> Fused.binaryCrossEntropy(x[0], x[1]),
                        r -> r[0].zip(r[1], (p, y) -> -(y * clampedLog(p) + (1 - y) * clampedLog(1 - p))))
                        .input(uniform(0.05, 0.95), 4, 1).input(uniform(0, 1), 4, 1),
                GradCheck.of("binary cross-entropy, mean", x -> Fused.binaryCrossEntropy(x[0], x[1]).mean(),
                        r -> r[0].zip(r[1], (p, y) -> -(y * clampedLog(p) + (1 - y) * clampedLog(1 - p)))
                                .mean(new int[0], false)).input(uniform(0.05, 0.95), 33).input(uniform(0, 1), 33));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fused")
    void fused(GradCheck check) {
        check.run();
    }

    @Test
    void binaryCrossEntropyIsFiniteAtZeroAndOne() {
        Tensor p = Tensor.vector(0, 1, 0, 1).requiresGrad(true);
        Tensor y = Tensor.vector(0, 0, 1, 1);
        Tensor loss = Fused.binaryCrossEntropy(p, y);
        assertArrayEquals(new float[] {0, 100, 100, 0}, loss.toArray(), 1e-6f);
        loss.sum().backward();
        // PyTorch's rule (p − y)/max(p·(1 − p), 1e-12): 0 where p = y, ±1e12 where the log is clamped
        assertArrayEquals(new float[] {0, 1e12f, -1e12f, 0}, p.grad().toArray(), 1e-6f);
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> Fused.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 2), null));
        assertThrows(IllegalArgumentException.class,
                () -> Fused.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class,
                () -> Fused.binaryCrossEntropy(Tensor.zeros(2), Tensor.zeros(2, 1)));
    }
}
