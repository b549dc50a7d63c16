package dev.soma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.nn.Linear;
import dev.soma.nn.Loss;
import dev.soma.nn.MSELoss;
import dev.soma.nn.Sequential;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The loop stops before a step that would put NaN or ∞ into the weights, and says where. */
class TrainerDivergenceTest {

    private static final Generator G = new Generator(4);
    private static final TensorDataset DATA = new TensorDataset(Tensor.randn(G, 32, 3), Tensor.randn(G, 32, 1));

    @Test
    void aLossThatOverflowsStopsTheRunWithTheWeightsOfTheStepBefore() {
        Sequential model = new Sequential(new Linear(3, 8, G), new Linear(8, 1, G));
        Trainer trainer = new Trainer(model, new MSELoss(), SGD.builder(model.parameters(), 1e6).build(), null);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(new DataLoader(DATA, 8, true, G), null, 5));
        assertEquals(1, e.epoch());
        assertTrue(e.step() > 1 && e.step() <= 4, e.getMessage());
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1, step " + e.step() + ": the "), e.getMessage());
        model.namedParameters().forEach((name, p) -> assertTrue(p.allFinite(), name + " holds a non-finite value"));
    }

    @Test
    void aNonFiniteGradientUnderAFiniteLossNamesTheParameter() {
        Sequential model = new Sequential(new Linear(3, 1, G));
        // √|ŷ| at ŷ = 0: the loss is 0, its derivative +∞. The weights start at 0, so every ŷ is 0.
        try (NoGrad scope = NoGrad.enter()) {
            model.namedParameters().values().forEach(p -> p.fill(0));
        }
        Loss sqrtOfAbs = new Loss() {
            @Override
            public Tensor forward(Tensor output, Tensor target) {
                return output.abs().sqrt().mean();
            }
        };
        Trainer trainer = new Trainer(model, sqrtOfAbs, SGD.builder(model.parameters(), 0.1).build(), null);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(new DataLoader(DATA, 8), null, 1));
        assertEquals("training diverged at epoch 1, step 1: the gradient of 0.weight holds NaN or infinite values;"
                + " the weights are those of the step before (a smaller learning rate usually helps)", e.getMessage());
        model.namedParameters().forEach((name, p) -> assertEquals(0f, p.abs().sum().item(), name + " untouched"));
    }

    @Test
    void noTrainingExamplesIsAnError() {
        Sequential model = new Sequential(new Linear(3, 1, G));
        Trainer trainer = new Trainer(model, new MSELoss(), SGD.builder(model.parameters(), 0.1).build(), null);
        TensorDataset empty = new TensorDataset(Tensor.zeros(0, 3), Tensor.zeros(0, 1));
        assertEquals("fit: the training data has no examples", assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(new DataLoader(empty, 8), null, 1)).getMessage());
    }

    @Test
    void allFiniteFindsOneBadElementAnywhere() {
        for (int n : new int[] {1, 7, 16, 17, 100}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                for (int at = 0; at < n; at += Math.max(1, n / 5)) {
                    float[] values = new float[n];
                    java.util.Arrays.fill(values, Float.MAX_VALUE);
                    values[at] = bad;
                    assertTrue(!Tensor.of(values, n).allFinite(), n + " " + bad + " at " + at);
                }
            }
            assertTrue(Tensor.full(Float.MIN_VALUE, n).allFinite());
            assertTrue(Tensor.full(-Float.MAX_VALUE, n).allFinite());
        }
        Tensor strided = Tensor.of(new float[] {1, Float.NaN, 3, 4}, 4).reshape(2, 2).transpose(0, 1);
        assertTrue(!strided.allFinite());
        assertTrue(Tensor.zeros(0).allFinite(), "no element is non-finite");
    }
}
