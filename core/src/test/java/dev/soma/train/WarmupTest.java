package dev.soma.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.data.ToySets;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Linear;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.optim.Adam;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A warm-up's stand-in trains beside a run without touching it: the run's weights are the same bits
 * with a stand-in training all along (sharing the kernels and the worker threads) as without one, and
 * the stand-in takes steps until it is closed, then stops.
 */
class WarmupTest {

    /** A model whose products are large enough to be split over the worker threads (64 × 256 × 256). */
    private static Sequential model(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(2, 256, g), new ReLU(), new Linear(256, 256, g), new ReLU(),
                new Linear(256, 2, g));
    }

    private static Trainer trainer(Sequential model) {
        return new Trainer(model, new CrossEntropyLoss(), new Adam(model.parameters()), Metric.multiclassAccuracy());
    }

    private static List<float[]> train() {
        Sequential model = model(0);
        TensorDataset data = ToySets.spiral(640, 0.1, new Generator(1));
        DataLoader loader = DataLoader.builder(data).batchSize(64).shuffle(true).generator(new Generator(2)).build();
        trainer(model).fit(loader, null, 2);
        List<float[]> weights = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            weights.add(p.toArray());
        }
        return weights;
    }

    @Test
    void theRunIsTheSameBitsWithAStandInTrainingBesideIt() throws InterruptedException {
        List<float[]> alone = train();
        List<float[]> beside;
        try (Warmup warmup = Warmup.start(() -> trainer(model(5)), new int[] {2}, 2, 64)) {
            for (int wait = 0; wait < 2000 && warmup.steps() == 0; wait++) {
                Thread.sleep(5);
            }
            assertTrue(warmup.steps() > 0, "the stand-in took no step in 10 s");
            beside = train();
        }
        assertEquals(alone.size(), beside.size());
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i), beside.get(i), "parameter " + i);
        }
    }

    @Test
    void theStandInStopsWhenClosed() throws InterruptedException {
        Warmup warmup = Warmup.start(() -> trainer(model(5)), new int[] {2}, 2, 64);
        for (int wait = 0; wait < 2000 && warmup.steps() == 0; wait++) {
            Thread.sleep(5);
        }
        warmup.close();
        warmup.awaitEnd(); // its last step
        int stopped = warmup.steps();
        Thread.sleep(100);
        assertEquals(stopped, warmup.steps(), "steps taken after close");
        assertTrue(stopped > 0 && stopped < Warmup.MAX_STEPS, "steps: " + stopped);
    }
}
