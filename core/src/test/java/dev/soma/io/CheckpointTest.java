package dev.soma.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.TensorDataset;
import dev.soma.data.ToySets;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Linear;
import dev.soma.nn.Sequential;
import dev.soma.nn.Tanh;
import dev.soma.optim.Adam;
import dev.soma.optim.Optimizer;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.train.History;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on disk: what a folder holds, the {@code latest} pointer, pruning, and resuming from a read one. */
class CheckpointTest {

    private static final TensorDataset TRAIN = ToySets.moons(60, 0.1, new Generator(4));

    private record Run(Sequential model, Optimizer optimizer, DataLoader loader, Trainer trainer) {
        static Run of(boolean adam, long seed) {
            Generator g = new Generator(seed);
            Sequential model = new Sequential(new Linear(2, 8, g), new Tanh(), new Linear(8, 2, g));
            Optimizer optimizer = adam ? Adam.builder(model.parameters()).lr(0.02).build()
                    : SGD.builder(model.parameters(), 0.1).momentum(0.9).nesterov(true).build();
            DataLoader loader = new DataLoader(TRAIN, 8, true, new Generator(seed + 1));  // 8 batches, the last of 4
            return new Run(model, optimizer, loader, new Trainer(model, new CrossEntropyLoss(), optimizer,
                    Metric.multiclassAccuracy()));
        }
    }

    private static List<String> folders(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachCheckpointIsAFolderOfThreeFilesAndLatestNamesTheNewest(@TempDir Path root) throws IOException {
        Run run = Run.of(true, 1);
        Checkpoint checkpoint = new Checkpoint(root, run.model(), run.optimizer(), Map.of("model", "tiny"), 2);
        run.trainer().checkpoint(checkpoint, true, 5);
        run.trainer().fit(run.loader(), null, 2);
        // Steps 5, 10 (epoch 2's step 2), 15 and the epochs' ends: only the newest two remain.
        assertEquals(List.of("epoch-2-step-7", "epoch-3-step-0", "latest"), folders(root));
        assertEquals("epoch-3-step-0\n", Files.readString(root.resolve(Checkpoint.LATEST)));
        assertEquals(List.of("model.safetensors", "optimizer.safetensors", "state.json"),
                folders(root.resolve("epoch-3-step-0")));
        assertEquals(root.resolve("epoch-3-step-0"), checkpoint.last());

        Checkpoint.Loaded loaded = Checkpoint.read(root);
        assertEquals(root.resolve("epoch-3-step-0"), loaded.folder());
        assertEquals(run.trainer().lastState(), loaded.state());
        assertEquals(Map.of("model", "tiny"), loaded.settings());
        assertEquals(16, loaded.state().globalStep());
        run.model().stateDict().forEach((name, t) -> assertArrayEquals(t.toArray(), loaded.model().get(name).toArray(), name));
        assertEquals(run.optimizer().stateDict().hyperparameters(), loaded.optimizer().hyperparameters());
        run.optimizer().stateDict().state().forEach((i, p) -> {
            assertEquals(p.step(), loaded.optimizer().state().get(i).step());
            p.buffers().forEach((name, t) -> assertArrayEquals(t.toArray(),
                    loaded.optimizer().state().get(i).buffers().get(name).toArray(), name + " of " + i));
        });
        // One folder can be named instead of the root.
        assertEquals(7, Checkpoint.read(root.resolve("epoch-2-step-7")).state().step());
    }

    @Test
    void aRunResumedFromACheckpointOnDiskEndsWithTheSameBits(@TempDir Path root) throws IOException {
        for (boolean adam : new boolean[] {true, false}) {
            Run plain = Run.of(adam, 2);
            History expected = plain.trainer().fit(plain.loader(), TRAIN, 3);

            Path folder = root.resolve(adam ? "adam" : "sgd");
            Run stopped = Run.of(adam, 2);
            stopped.trainer().checkpoint(new Checkpoint(folder, stopped.model(), stopped.optimizer(), Map.of(), 3), false, 0)
                    .stopWhen(() -> stopped.trainer().lastState().globalStep() == 11);  // epoch 2, step 3
            stopped.trainer().fit(stopped.loader(), TRAIN, 3);
            assertTrue(stopped.trainer().stopped());

            Checkpoint.Loaded loaded = Checkpoint.read(folder);
            assertEquals(folder.resolve("epoch-2-step-3"), loaded.folder());
            Run resumed = Run.of(adam, 77);
            loaded.restore(resumed.model(), resumed.optimizer());
            History history = resumed.trainer().fit(resumed.loader(), TRAIN, 3, loaded.state());
            plain.model().stateDict().forEach((name, t) -> assertArrayEquals(t.toArray(),
                    resumed.model().stateDict().get(name).toArray(), (adam ? "adam " : "sgd ") + name));
            assertArrayEquals(expected.trainLoss(), history.trainLoss());
            assertArrayEquals(expected.validationAccuracy(), history.validationAccuracy());
        }
    }

    @Test
    void aFolderThatIsNoCheckpointIsNamedAsSuch(@TempDir Path root) throws IOException {
        FileFormatException none = assertThrows(FileFormatException.class, () -> Checkpoint.read(root));
        assertTrue(none.getMessage().contains("is not a checkpoint"), none.getMessage());
        Files.writeString(root.resolve(Checkpoint.LATEST), "../../etc\n");
        FileFormatException bad = assertThrows(FileFormatException.class, () -> Checkpoint.read(root));
        assertTrue(bad.getMessage().contains("should name a checkpoint folder"), bad.getMessage());
        Files.writeString(root.resolve(Checkpoint.LATEST), "epoch-1-step-2\n");
        Files.createDirectories(root.resolve("epoch-1-step-2"));
        Files.writeString(root.resolve("epoch-1-step-2/state.json"), "{\"format\": \"soma.checkpoint\", \"version\": 1}");
        FileFormatException partial = assertThrows(FileFormatException.class, () -> Checkpoint.read(root));
        assertTrue(partial.getMessage().contains("'epoch' is missing"), partial.getMessage());
        assertFalse(Files.exists(root.resolve("epoch-1-step-2/model.safetensors")));
    }
}
