package dev.soma.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every optimizer shares: convergence, argument checks, skipping, zeroGrad, the learning rate. */
class OptimizerTest {

    private record Named(String name, Function<List<Tensor>, Optimizer> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Named> optimizers() {
        return Stream.of(
                new Named("SGD", p -> new SGD(p, 0.1)),
                new Named("SGD momentum", p -> SGD.builder(p, 0.02).momentum(0.9).build()),
                new Named("SGD nesterov", p -> SGD.builder(p, 0.02).momentum(0.9).nesterov(true).build()),
                new Named("SGD dampening, decay", p -> SGD.builder(p, 0.05).momentum(0.5).dampening(0.5)
                        .weightDecay(1e-4).build()),
                new Named("Adam", p -> Adam.builder(p).lr(0.1).build()),
                new Named("Adam amsgrad", p -> Adam.builder(p).lr(0.1).amsgrad(true).build()),
                new Named("AdamW", p -> AdamW.builder(p).lr(0.1).weightDecay(1e-4).build()),
                new Named("RMSprop", p -> RMSprop.builder(p).lr(0.05).build()),
                new Named("RMSprop centered momentum", p -> RMSprop.builder(p).lr(0.01).momentum(0.9)
                        .centered(true).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void minimisesAQuadratic(Named named) {
        // (p − 3)² from p = 0, its learning rate annealed to 0 so that adaptive methods settle too.
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        Optimizer optimizer = named.make().apply(List.of(p));
        int epochs = 500;
        var schedule = new CosineAnnealingLR(optimizer, epochs);
        for (int epoch = 0; epoch < epochs; epoch++) {
            optimizer.zeroGrad();
            p.sub(3).pow(2).sum().backward();
            optimizer.step();
            schedule.step();
        }
        assertEquals(3, p.item(), 1e-3, named.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void skipsParametersWithoutAGradient(Named named) {
        Tensor reached = Tensor.vector(1, 2).requiresGrad(true);
        Tensor unreached = Tensor.vector(3, 4).requiresGrad(true);
        Tensor frozen = Tensor.vector(5, 6);
        Optimizer optimizer = named.make().apply(List.of(reached, unreached, frozen));
        for (int t = 0; t < 3; t++) {
            optimizer.zeroGrad();
            reached.sum().backward();
            optimizer.step();
        }
        assertArrayEquals(new float[] {3, 4}, unreached.toArray());
        assertArrayEquals(new float[] {5, 6}, frozen.toArray());
        assertFalse(reached.get(0) == 1, named.name() + " did not move the parameter that has a gradient");
    }

    @Test
    void stepCountsArePerParameter() {
        // Adam's first step moves by γ whatever the gradient; a parameter that joins late takes a first step.
        Tensor early = Tensor.scalar(0).requiresGrad(true);
        Tensor late = Tensor.scalar(0).requiresGrad(true);
        Adam adam = Adam.builder(List.of(early, late)).lr(0.1).eps(0).build();
        for (int t = 0; t < 4; t++) {
            adam.zeroGrad();
            early.mul(0.5f).backward();
            adam.step();
        }
        adam.zeroGrad();
        late.mul(-3).backward();
        adam.step();
        assertEquals(0.1f, late.item(), 1e-7f);
    }

    @Test
    void zeroGradForgetsOrZeroesTheGradients() {
        Tensor p = Tensor.vector(1, 2).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.1);
        p.sum().backward();
        sgd.zeroGrad(false);
        assertArrayEquals(new float[] {0, 0}, p.grad().toArray());
        sgd.zeroGrad();
        assertNull(p.grad());
    }

    @Test
    void stepRecordsNoGraphAndLeavesGradEnabled() {
        Tensor p = Tensor.vector(1, 2).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.5);
        p.mul(p).sum().backward();
        sgd.step();
        assertTrue(NoGrad.isGradEnabled());
        assertTrue(p.isLeaf());
        assertArrayEquals(new float[] {0, 0}, p.toArray());
        assertNotNull(p.grad());
    }

    @Test
    void updatesMatricesAndStridedViewsInRowMajorOrder() {
        Tensor w = Tensor.matrix(new float[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad(true);
        SGD sgd = new SGD(List.of(w), 1);
        w.backward(Tensor.matrix(new float[][] {{1, 0, 0}, {0, 0, 2}}));
        sgd.step();
        assertArrayEquals(new float[] {0, 2, 3, 4, 5, 4}, w.toArray());
    }

    @Test
    void lrIsSettable() {
        Tensor p = Tensor.scalar(1).requiresGrad(true);
        SGD sgd = new SGD(List.of(p), 0.1);
        sgd.setLr(0.5);
        assertEquals(0.5, sgd.lr());
        p.backward(Tensor.scalar(1));
        sgd.step();
        assertEquals(0.5f, p.item());
        var error = assertThrows(IllegalArgumentException.class, () -> sgd.setLr(-2));
        assertEquals("lr must be ≥ 0, got -2.0", error.getMessage());
    }

    static Stream<Arguments> badHyperparameters() {
        List<Tensor> p = OptimizerTesting.params();
        return Stream.of(
                bad("lr must be ≥ 0, got -0.1", () -> new SGD(p, -0.1)),
                bad("lr must be ≥ 0, got NaN", () -> new SGD(p, Double.NaN)),
                bad("momentum must be ≥ 0, got -0.5", () -> SGD.builder(p, 0.1).momentum(-0.5).build()),
                bad("weightDecay must be ≥ 0, got -0.01", () -> SGD.builder(p, 0.1).weightDecay(-0.01).build()),
                bad("dampening must be finite, got NaN", () -> SGD.builder(p, 0.1).dampening(Double.NaN).build()),
                bad("lr must be ≥ 0, got -0.001", () -> Adam.builder(p).lr(-1e-3).build()),
                bad("beta1 must be in [0, 1), got 1.0", () -> Adam.builder(p).betas(1, 0.999).build()),
                bad("beta2 must be in [0, 1), got -0.1", () -> Adam.builder(p).betas(0.9, -0.1).build()),
                bad("eps must be ≥ 0, got -1.0E-8", () -> Adam.builder(p).eps(-1e-8).build()),
                bad("weightDecay must be ≥ 0, got -0.2", () -> AdamW.builder(p).weightDecay(-0.2).build()),
                bad("alpha must be ≥ 0, got -0.99", () -> RMSprop.builder(p).alpha(-0.99).build()),
                bad("momentum must be ≥ 0, got -0.9", () -> RMSprop.builder(p).momentum(-0.9).build()),
                bad("eps must be ≥ 0, got -1.0", () -> RMSprop.builder(p).eps(-1).build()),
                bad("lr must be ≥ 0, got -3.0", () -> RMSprop.builder(p).lr(-3).build()));
    }

    private static Arguments bad(String message, Runnable construct) {
        return Arguments.of(message, construct);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHyperparameters")
    void rejectsBadHyperparametersWithTheValue(String message, Runnable construct) {
        var error = assertThrows(IllegalArgumentException.class, construct::run);
        assertEquals(message, error.getMessage());
    }

    @Test
    void rejectsBadParameterLists() {
        assertEquals("optimizer got an empty parameter list",
                assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1)).getMessage());
        Tensor p = Tensor.vector(1, 2).requiresGrad(true);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p, p))).getMessage()
                .contains("parameter 1 appears twice"));
        Tensor nonLeaf = p.mul(2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p, nonLeaf)))
                .getMessage().contains("parameter 1 is not a leaf"));
    }
}
