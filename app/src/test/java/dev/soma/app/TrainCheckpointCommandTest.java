package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.io.Checkpoint;
import dev.soma.io.Safetensors;
import dev.soma.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soma train --checkpoint DIR --checkpoint-every N} and {@code --resume DIR} in-process: what
 * is written, resuming from an earlier checkpoint to the same bits, and the refusals. Stopping a run
 * by a signal or a kill is {@code TrainInterruptTest}'s, in child JVMs.
 */
class TrainCheckpointCommandTest {

    private static final String[] RUN = {"train", "--data", "moons", "--samples", "120", "--batch", "16",
        "--seed", "4", "--optimizer", "sgd"};

    private static String[] with(String... more) {
        return Stream.concat(Stream.of(RUN), Stream.of(more)).toArray(String[]::new);
    }

    private static void assertSameWeights(Path expected, Path actual) throws Exception {
        Map<String, Tensor> a = Safetensors.read(expected).tensors();
        Map<String, Tensor> b = Safetensors.read(actual).tensors();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> assertArrayEquals(t.toArray(), b.get(name).toArray(), name));
    }

    @Test
    void resumingFromAnEarlierCheckpointWithoutDataEndsWithTheSameWeights(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("run");
        Path whole = dir.resolve("whole.safetensors");
        succeed(with("--epochs", "3", "--checkpoint", checkpoints.toString(), "--checkpoint-every", "4",
                "--save", whole.toString()));
        // 8 steps an epoch: checkpoints at steps 4, 12 (epoch 2's 4th), 20 (epoch 3's), and after each
        // epoch (epoch-2-step-0, …); an epoch's last step leaves it to the epoch's own; the newest 3 kept.
        try (Stream<Path> entries = Files.list(checkpoints)) {
            assertEquals(List.of("epoch-3-step-0", "epoch-3-step-4", "epoch-4-step-0", "latest"),
                    entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Checkpoint.Loaded last = Checkpoint.read(checkpoints);
        assertEquals("moons", last.settings().get("data"));
        assertEquals("0.05", last.settings().get("lr"));
        assertEquals("4", last.settings().get("checkpoint_every"));

        Path resumed = dir.resolve("resumed.safetensors");
        CommandTesting.Run run = succeed("train", "--resume", checkpoints.resolve("epoch-3-step-0").toString(),
                "--save", resumed.toString(), "--json", "--epochs", "3");
        assertSameWeights(whole, resumed);
        assertEquals(3, run.json().get("epochs").asInt(), "the history holds the epochs before the checkpoint");
        assertTrue(run.out().contains("sgd lr 0.05, batch 16, 3 epochs, seed 4"), run::toString);
    }

    @Test
    void anOptionThatDiffersFromTheResumedRunsIsRefused(@TempDir Path dir) {
        Path checkpoints = dir.resolve("run");
        succeed(with("--epochs", "1", "--checkpoint", checkpoints.toString()));
        assertUsageError(run("train", "--resume", checkpoints.toString(), "--optimizer", "adam"), "train",
                "--optimizer adam conflicts with the run being resumed, which has --optimizer sgd");
        assertUsageError(run("train", "--resume", checkpoints.toString(), "--data", "xor"), "train",
                "--data xor conflicts", "--data moons");
        assertUsageError(run("train", "--resume", checkpoints.toString(), "--lr", "0.1"), "train",
                "--lr 0.1 conflicts", "--lr 0.05");
    }

    @Test
    void aFolderThatIsNoCheckpointAndAMissingDataAreOneLineEach(@TempDir Path dir) {
        assertUserError(run("train", "--resume", dir.toString()), dir.toString(), "is not a checkpoint");
        assertUsageError(run("train", "--epochs", "1"), "train", "Missing required option: '--data=NAME|DIR'");
    }

    @Test
    void theDefaultCheckpointOfASignalIsBesideSave() {
        assertEquals(Path.of("out", "cnn.checkpoint"), TrainSettings.defaultCheckpoint(Path.of("out", "cnn.safetensors")));
        assertTrue(TrainSettings.defaultCheckpoint(null).toString().matches("soma-checkpoint-\\d{8}-\\d{6}"));
    }
}
