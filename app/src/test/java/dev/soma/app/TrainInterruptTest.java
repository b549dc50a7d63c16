package dev.soma.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.io.Checkpoint;
import dev.soma.io.Safetensors;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soma train} in a child JVM, stopped the hard way: killed with SIGKILL at random moments and
 * resumed each time, or sent SIGINT or SIGTERM. Each ends with the same weights, bit for bit, as the
 * run that was never stopped (the uninterrupted reference, trained once for the class).
 */
class TrainInterruptTest {

    /**
     * A small network with dropout (so the global generator's state must survive too), 320 spiral
     * points in batches of 16: 20 steps an epoch, 80 in all; with a checkpoint every 5 steps, 16 and
     * one after each epoch.
     */
    private static final String MODEL = """
            {"format": "soma-model/1", "input": [2], "layers": [
              {"type": "linear", "in_features": 2, "out_features": 32}, {"type": "relu"},
              {"type": "dropout", "p": 0.1}, {"type": "linear", "in_features": 32, "out_features": 2}]}
            """;

    private static final List<String> RUN = new ArrayList<>(List.of("train", "--data", "spiral", "--samples", "320",
            "--batch", "16", "--epochs", "4", "--seed", "5", "--optimizer", "sgd"));

    @TempDir
    static Path folder;

    private static Map<String, Tensor> reference;

    @BeforeAll
    static void trainTheUninterruptedRun() throws Exception {
        Path spec = folder.resolve("small.json");
        Files.writeString(spec, MODEL);
        RUN.addAll(List.of("--model", spec.toString()));
        Path save = folder.resolve("reference.safetensors");
        Process p = start(folder.resolve("reference.log"), false, args("--save", save.toString()));
        assertEquals(0, finish(p), () -> log(folder.resolve("reference.log")));
        reference = Safetensors.read(save).tensors();
    }

    @Test
    void killedTwiceAtRandomMomentsAndResumedItEndsWithTheSameBits() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        Path checkpoints = folder.resolve("killed");
        Path save = folder.resolve("killed.safetensors");
        Path log = folder.resolve("killed.log");
        List<String> first = args("--checkpoint", checkpoints.toString(), "--checkpoint-every", "5", "--save", save.toString());
        List<String> again = List.of("train", "--resume", checkpoints.toString(), "--save", save.toString());
        List<String> killedAt = new ArrayList<>();
        for (List<String> command : List.of(first, again)) {
            Process p = start(log, false, command);
            // Kill after a random number of new checkpoints (2 to 8 of the 20 the run writes), and a
            // random delay on top, so the kill can land in a step, in a checkpoint's write, anywhere.
            int checkpointsToSee = 2 + random.nextInt(7);
            String at = awaitCheckpoints(p, checkpoints, checkpointsToSee, log);
            Thread.sleep(random.nextInt(40));
            assertTrue(p.isAlive(), "the run ended before it could be killed\n" + log(log));
            p.destroyForcibly();                                            // SIGKILL
            assertEquals(137, finish(p), () -> log(log));
            killedAt.add(at);
        }
        Process last = start(log, false, again);
        assertEquals(0, finish(last), () -> log(log));
        assertSameWeights(save, "killed after checkpoints " + killedAt + " (random seed " + seed + ")");
    }

    @Test
    void sigintFinishesTheStepWritesACheckpointBesideSaveAndExits130() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")),
                "perl resets SIGINT for the child, which a background JVM inherits as ignored");
        Path save = folder.resolve("int.safetensors");
        Path log = folder.resolve("int.log");
        Process p = start(log, true, args("--save", save.toString()));
        awaitText(p, log, "epoch 2/4");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        assertEquals(130, finish(p), () -> log(log));
        Path checkpoint = folder.resolve("int.checkpoint");                // NAME.checkpoint beside --save
        assertTrue(log(log).contains("soma: stopped by SIGINT at epoch "), log(log));
        assertTrue(log(log).contains("continue with: soma train --resume " + checkpoint), log(log));
        Checkpoint.Loaded loaded = Checkpoint.read(checkpoint);
        assertTrue(loaded.state().globalStep() >= 20, "stopped at global step " + loaded.state().globalStep());
        assertEquals(0, finish(start(log, false, List.of("train", "--resume", checkpoint.toString(), "--save", save.toString()))),
                () -> log(log));
        assertSameWeights(save, "stopped by SIGINT at global step " + loaded.state().globalStep());
    }

    @Test
    void sigtermFinishesTheStepWritesACheckpointAndExits143() throws Exception {
        Path checkpoints = folder.resolve("term");
        Path save = folder.resolve("term.safetensors");
        Path log = folder.resolve("term.log");
        Process p = start(log, false, args("--checkpoint", checkpoints.toString(), "--save", save.toString()));
        awaitText(p, log, "epoch 1/4");
        p.destroy();                                                        // SIGTERM
        assertEquals(143, finish(p), () -> log(log));
        assertTrue(log(log).contains("soma: stopped by SIGTERM at epoch "), log(log));
        assertTrue(log(log).contains("continue with: soma train --resume " + checkpoints), log(log));
        assertEquals(0, finish(start(log, false, List.of("train", "--resume", checkpoints.toString(), "--save", save.toString()))),
                () -> log(log));
        assertSameWeights(save, "stopped by SIGTERM");
    }

    private static List<String> args(String... more) {
        List<String> all = new ArrayList<>(RUN);
        all.addAll(List.of(more));
        return all;
    }

    /** Starts {@code soma args…} in a JVM of its own, appending its output and errors to {@code log}. */
    private static Process start(Path log, boolean resetSigint, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        if (resetSigint) {
            command.addAll(List.of("/usr/bin/perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Files.writeString(log, "$ soma " + String.join(" ", args) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SOMA_THREADS", "1");                    // the same bits on any number; less to start
        return builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int finish(Process p) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not end within 60 s");
        }
        return p.exitValue();
    }

    /** Waits until {@code latest} has named {@code count} checkpoints not seen before; returns the last. */
    private static String awaitCheckpoints(Process p, Path root, int count, Path log) throws Exception {
        Path latest = root.resolve(Checkpoint.LATEST);
        String before = Files.exists(latest) ? Files.readString(latest).strip() : "";
        Set<String> seen = new LinkedHashSet<>();
        String name = before;
        while (seen.size() < count) {
            assertTrue(p.isAlive(), () -> "the run ended after checkpoints " + seen + "\n" + log(log));
            try {
                name = Files.readString(latest).strip();
            } catch (IOException notYet) {
                name = before;
            }
            if (!name.equals(before)) {
                seen.add(name);
            }
            Thread.sleep(1);
        }
        return name;
    }

    private static void awaitText(Process p, Path log, String text) throws Exception {
        while (!log(log).contains(text)) {
            assertTrue(p.isAlive(), () -> "the run ended before printing '" + text + "'\n" + log(log));
            Thread.sleep(5);
        }
    }

    private static String log(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void assertSameWeights(Path save, String how) throws IOException {
        Map<String, Tensor> weights = Safetensors.read(save).tensors();
        assertEquals(reference.keySet(), weights.keySet());
        reference.forEach((name, t) -> assertArrayEquals(t.toArray(), weights.get(name).toArray(),
                how + ": " + name + " differs from the uninterrupted run's"));
    }
}
