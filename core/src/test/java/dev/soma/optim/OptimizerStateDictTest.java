package dev.soma.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.Linear;
import dev.soma.nn.MSELoss;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** An optimizer's state survives a trip through stateDict and loadStateDict: the run continues bit for bit. */
class OptimizerStateDictTest {

    private static final Tensor X = Tensor.randn(new Generator(1), 16, 3);
    private static final Tensor Y = Tensor.randn(new Generator(2), 16, 2);

    private static Sequential model() {
        Generator g = new Generator(7);
        return new Sequential(new Linear(3, 5, g), new ReLU(), new Linear(5, 2, g));
    }

    private static void steps(Sequential model, Optimizer optimizer, int n) {
        for (int i = 0; i < n; i++) {
            optimizer.zeroGrad();
            new MSELoss().forward(model.forward(X), Y).backward();
            optimizer.step();
        }
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd, momentum, nesterov, weight decay", (Function<List<Tensor>, Optimizer>) p ->
                        SGD.builder(p, 0.05).momentum(0.9).nesterov(true).weightDecay(1e-3).build(),
                        Set.of("momentum_buffer")),
                Arguments.of("adam", (Function<List<Tensor>, Optimizer>) p -> Adam.builder(p).lr(0.01).build(),
                        Set.of("exp_avg", "exp_avg_sq")),
                Arguments.of("adam, amsgrad", (Function<List<Tensor>, Optimizer>) p ->
                        Adam.builder(p).lr(0.01).amsgrad(true).build(), Set.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq")),
                Arguments.of("adamw", (Function<List<Tensor>, Optimizer>) p -> AdamW.builder(p).lr(0.01).build(),
                        Set.of("exp_avg", "exp_avg_sq")),
                Arguments.of("rmsprop, centered, momentum", (Function<List<Tensor>, Optimizer>) p ->
                        RMSprop.builder(p).lr(0.01).centered(true).momentum(0.5).build(),
                        Set.of("square_avg", "grad_avg", "momentum_buffer")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void aRunResumedFromTheStateEndsWithTheSameBits(String name, Function<List<Tensor>, Optimizer> make,
            Set<String> buffers) {
        Sequential straight = model();
        Optimizer straightOptimizer = make.apply(straight.parameters());
        steps(straight, straightOptimizer, 10);

        Sequential first = model();
        Optimizer firstOptimizer = make.apply(first.parameters());
        steps(first, firstOptimizer, 4);
        Optimizer.StateDict saved = firstOptimizer.stateDict();
        Map<String, Tensor> weights = new java.util.LinkedHashMap<>(); // a copy: the model's state dict is live, as PyTorch's
        first.stateDict().forEach((key, value) -> weights.put(key, Tensor.of(value.toArray(), value.shape())));
        steps(first, firstOptimizer, 3); // the saved state is a copy: later steps do not change it

        Sequential resumed = model();
        resumed.loadStateDict(weights);
        Optimizer resumedOptimizer = make.apply(resumed.parameters());
        resumedOptimizer.loadStateDict(saved);
        steps(resumed, resumedOptimizer, 6);

        straight.stateDict().forEach((key, value) ->
                assertArrayEquals(value.toArray(), resumed.stateDict().get(key).toArray(), name + " " + key));
        assertEquals(Set.of(0, 1, 2, 3), saved.state().keySet());
        assertEquals(4, saved.state().get(0).step());
        assertEquals(buffers, saved.state().get(2).buffers().keySet());
        assertEquals(List.of(5, 3), List.of(saved.state().get(0).buffers().values().iterator().next().shape()[0],
                saved.state().get(0).buffers().values().iterator().next().shape()[1]));
    }

    @Test
    void theLearningRateIsRestoredAndOtherHyperparametersMustMatch() {
        Sequential model = model();
        Optimizer adam = Adam.builder(model.parameters()).lr(0.01).build();
        steps(model, adam, 1);
        Optimizer.StateDict saved = adam.stateDict();
        assertEquals(Map.of("lr", 0.01, "betas", List.of(0.9, 0.999), "eps", 1e-8, "weight_decay", 0.0, "amsgrad", false,
                "decoupled_weight_decay", false), saved.hyperparameters());

        Optimizer other = Adam.builder(model().parameters()).lr(0.5).build();
        other.loadStateDict(saved);
        assertEquals(0.01, other.lr());

        Optimizer betas = Adam.builder(model().parameters()).betas(0.8, 0.999).build();
        String message = assertThrows(IllegalArgumentException.class, () -> betas.loadStateDict(saved)).getMessage();
        assertTrue(message.startsWith("loadStateDict: the state was saved with {betas=[0.9, 0.999]"), message);
        assertEquals(0, betas.stateDict().state().size(), "nothing changed");

        Optimizer sgd = SGD.builder(model().parameters(), 0.1).build();
        assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(saved));
    }

    @Test
    void aBufferOfTheWrongShapeOrParameterIsRefused() {
        Sequential model = model();
        Optimizer sgd = SGD.builder(model.parameters(), 0.1).momentum(0.9).build();
        steps(model, sgd, 1);
        Optimizer.StateDict saved = sgd.stateDict();
        Optimizer.StateDict shifted = new Optimizer.StateDict(Map.of(0, saved.state().get(1)), saved.hyperparameters());
        Optimizer fresh = SGD.builder(model().parameters(), 0.1).momentum(0.9).build();
        assertEquals("loadStateDict: parameter 0's momentum_buffer has shape [5], the parameter [5, 3]",
                assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(shifted)).getMessage());
        Optimizer.StateDict beyond = new Optimizer.StateDict(Map.of(9, saved.state().get(1)), saved.hyperparameters());
        assertEquals("loadStateDict: state for parameter 9, but this optimizer has 4",
                assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(beyond)).getMessage());
    }
}
