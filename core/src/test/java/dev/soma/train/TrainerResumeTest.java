package dev.soma.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.data.ToySets;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Dropout;
import dev.soma.nn.Linear;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.optim.Adam;
import dev.soma.optim.Optimizer;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run stopped at any checkpoint and resumed in a fresh model, optimizer and loader (built from
 * other seeds, so nothing but the checkpoint can carry the state over) ends with the same bits as
 * the run that never stopped: weights, optimizer state and every epoch's statistics. Shuffling is
 * on, the model has two dropout layers (one drawing from the global generator, one from its own,
 * given to {@link Trainer#generators}), and the last batch of an epoch is
 * partial; Adam and SGD with momentum each keep per-parameter state.
 */
class TrainerResumeTest {

    private static final int EPOCHS = 3;
    private static final int BATCH = 16;                                  // 100 examples: 7 batches, the last of 4
    private static final TensorDataset TRAIN = ToySets.spiral(100, 0.1, new Generator(1));
    private static final TensorDataset TEST = ToySets.spiral(40, 0.1, new Generator(2));

    /** A model, its optimizer and a loader, all seeded from {@code seed}. */
    private record Run(Sequential model, Optimizer optimizer, DataLoader loader, Trainer trainer) {

        static Run of(String optimizerName, long seed) {
            Generator.global().manualSeed(seed);
            Generator g = new Generator(seed);
            Generator masks = new Generator(seed + 2);
            Sequential model = new Sequential(new Linear(2, 16, g), new ReLU(), new Dropout(0.2f),
                    new Linear(16, 16, g), new ReLU(), new Dropout(0.1f, masks), new Linear(16, 2, g));
            Optimizer optimizer = optimizerName.equals("adam")
                    ? Adam.builder(model.parameters()).lr(0.01).build()
                    : SGD.builder(model.parameters(), 0.05).momentum(0.9).build();
            DataLoader loader = new DataLoader(TRAIN, BATCH, true, new Generator(seed + 1));
            Trainer trainer = new Trainer(model, new CrossEntropyLoss(), optimizer, Metric.multiclassAccuracy())
                    .generators(masks);
            return new Run(model, optimizer, loader, trainer);
        }

        History fit(TrainingState from) {
            return trainer.fit(loader, TEST, EPOCHS, from);
        }
    }

    /** What a checkpoint holds, copied when it was written. */
    private record Saved(TrainingState state, Map<String, Tensor> weights, Optimizer.StateDict optimizer) {
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> tensors) {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        tensors.forEach((name, t) -> copies.put(name, Tensor.of(t.toArray(), t.shape())));
        return copies;
    }

    private static void assertSameBits(Run expected, Run actual, String what) {
        Map<String, Tensor> a = expected.model().stateDict();
        Map<String, Tensor> b = actual.model().stateDict();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> assertArrayEquals(t.toArray(), b.get(name).toArray(), what + ": " + name));
        Optimizer.StateDict sa = expected.optimizer().stateDict();
        Optimizer.StateDict sb = actual.optimizer().stateDict();
        assertEquals(sa.hyperparameters(), sb.hyperparameters(), what);
        sa.state().forEach((i, p) -> {
            assertEquals(p.step(), sb.state().get(i).step(), what + ": steps of parameter " + i);
            p.buffers().forEach((name, t) -> assertArrayEquals(t.toArray(),
                    sb.state().get(i).buffers().get(name).toArray(), what + ": " + name + " of parameter " + i));
        });
    }

    private static void assertSameHistory(History expected, History actual, String what) {
        assertEquals(expected.epochs().size(), actual.epochs().size(), what);
        for (int i = 0; i < expected.epochs().size(); i++) {
            EpochStats e = expected.epochs().get(i);
            EpochStats a = actual.epochs().get(i);
            assertEquals(e.trainLoss(), a.trainLoss(), what + ": train loss of epoch " + (i + 1));
            assertEquals(e.trainAccuracy(), a.trainAccuracy(), what + ": train accuracy of epoch " + (i + 1));
            assertEquals(e.validationLoss(), a.validationLoss(), what + ": test loss of epoch " + (i + 1));
            assertEquals(e.validationAccuracy(), a.validationAccuracy(), what + ": test accuracy of epoch " + (i + 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "sgd"})
    void resumingFromAnyCheckpointEndsWithTheUninterruptedRunsBits(String optimizerName) {
        Run plain = Run.of(optimizerName, 7);
        History plainHistory = plain.fit(null);

        Run watched = Run.of(optimizerName, 7);
        List<Saved> saved = new ArrayList<>();
        watched.trainer().checkpoint(state -> saved.add(new Saved(state, copy(watched.model().stateDict()),
                watched.optimizer().stateDict())), true, 3);
        History watchedHistory = watched.fit(null);
        assertSameBits(plain, watched, "checkpointing changed the run");
        assertSameHistory(plainHistory, watchedHistory, "checkpointing changed the run");

        // Every 3 steps (3, 6, then 9 = epoch 2's step 2, …) and after each epoch: 21 steps, 7 of them
        // multiples of 3, two of those (7·3 = 21 is the last step) fall on an epoch's last step and
        // are left to the epoch's own checkpoint, which follows at once.
        List<String> where = saved.stream().map(s -> s.state().epoch() + "/" + s.state().step()).toList();
        assertEquals(List.of("1/3", "1/6", "2/0", "2/2", "2/5", "3/0", "3/1", "3/4", "4/0"), where);

        for (Saved checkpoint : saved) {
            Run resumed = Run.of(optimizerName, 1000 + checkpoint.state().globalStep());
            resumed.model().loadStateDict(checkpoint.weights());
            resumed.optimizer().loadStateDict(checkpoint.optimizer());
            History history = resumed.fit(checkpoint.state());
            String what = "resumed at epoch " + checkpoint.state().epoch() + ", step " + checkpoint.state().step();
            assertSameBits(plain, resumed, what);
            assertSameHistory(plainHistory, history, what);
            assertFalse(resumed.trainer().stopped());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 7, 8, 20})
    void aRunStoppedByItsConditionWritesACheckpointThereAndResumesExactly(int stopAfter) {
        Run plain = Run.of("adam", 3);
        History plainHistory = plain.fit(null);

        Run stopping = Run.of("adam", 3);
        List<Saved> saved = new ArrayList<>();
        int[] steps = {0};
        stopping.trainer().callback(new Callback() {
            @Override
            public void onBatchEnd(BatchEnd e) {
                steps[0]++;
            }
        });
        stopping.trainer().stopWhen(() -> steps[0] == stopAfter)
                .checkpoint(state -> saved.add(new Saved(state, copy(stopping.model().stateDict()),
                        stopping.optimizer().stateDict())), false, 0);
        stopping.fit(null);
        assertTrue(stopping.trainer().stopped());
        assertEquals(steps[0], stopAfter, "steps taken before stopping");
        assertEquals(1, saved.size(), "checkpoints written");
        TrainingState state = saved.getFirst().state();
        assertEquals(state, stopping.trainer().lastState());
        assertEquals(stopAfter, state.globalStep());
        assertEquals((stopAfter - 1) / 7 + 1, state.epoch());
        assertEquals((stopAfter - 1) % 7 + 1, state.step());

        Run resumed = Run.of("adam", 99);
        resumed.model().loadStateDict(saved.getFirst().weights());
        resumed.optimizer().loadStateDict(saved.getFirst().optimizer());
        History history = resumed.fit(state);
        assertSameBits(plain, resumed, "stopped after step " + stopAfter);
        assertSameHistory(plainHistory, history, "stopped after step " + stopAfter);
    }
}
