package dev.soma.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.data.ToySets;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Linear;
import dev.soma.nn.Sequential;
import dev.soma.nn.Tanh;
import dev.soma.optim.Adam;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same training, bit for bit: two runs in one JVM, with shuffling and batches
 * prefetched on another thread. (Differences between interpreted and compiled kernels, which made runs
 * of {@code soma train} differ in the last bits, depend on when C2 compiles a loop and so cannot be
 * provoked reliably here: SimdKernelsTest guards them by requiring every vector op to equal the scalar
 * kernel bit for bit.)
 */
class DeterminismTest {

    private static List<float[]> train(long seed) {
        Generator generator = new Generator(seed);
        TensorDataset data = ToySets.spiral(600, 0.1, generator);
        Sequential model = new Sequential(new Linear(2, 64, generator), new Tanh(),
                new Linear(64, 64, generator), new Tanh(), new Linear(64, 2, generator));
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.parameters()),
                Metric.multiclassAccuracy());
        DataLoader loader = DataLoader.builder(data).batchSize(50).shuffle(true).generator(new Generator(seed + 1))
                .prefetch(true).build();
        History history = trainer.fit(loader, null, 4);
        List<float[]> result = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            result.add(p.toArray());
        }
        result.add(new float[] {(float) history.epochs().getLast().trainLoss()});
        return result;
    }

    @Test
    void twoRunsWithTheSameSeedAgreeBitForBit() {
        List<float[]> first = train(3);
        List<float[]> second = train(3);
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "parameter " + i);
        }
    }
}
