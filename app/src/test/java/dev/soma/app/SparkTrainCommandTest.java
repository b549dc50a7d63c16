package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.numbers;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.app.CommandTesting.Run;
import dev.soma.io.Safetensors;
import dev.soma.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code soma spark train} in-process on {@code local[2]}: soma train's run, its output and JSON, on Spark. */
class SparkTrainCommandTest {

    @Test
    void sparkTrainOnTwoPartitionsEndsWithSomaTrainsWeightsAndAccuracy(@TempDir Path dir) throws Exception {
        Path local = dir.resolve("local.safetensors");
        Path spark = dir.resolve("spark.safetensors");
        String[] run = {"--data", "moons", "--samples", "400", "--epochs", "2", "--batch", "50", "--seed", "7", "--json"};
        JsonNode expected = succeed(concat(List.of("train"), run, "--save", local.toString())).json();
        Run sparkRun = succeed(concat(List.of("spark", "train", "--master", "local[2]", "--partitions", "2"), run,
                "--save", spark.toString()));
        JsonNode json = sparkRun.json();

        List<String> fields = new ArrayList<>(fieldNames(expected));
        fields.addAll(List.of("master", "partitions", "sync", "local_steps"));
        assertEquals(fields, fieldNames(json));
        assertEquals("local[2]", json.get("master").asText());
        assertEquals(2, json.get("partitions").intValue());
        assertEquals("barrier", json.get("sync").asText());
        assertTrue(json.get("local_steps").isNull(), json.toString());
        assertArrayEquals(numbers(expected.get("test_accuracy")), numbers(json.get("test_accuracy")), 1e-9, json.toString());
        assertArrayEquals(numbers(expected.get("train_loss")), numbers(json.get("train_loss")), 1e-5, json.toString());
        assertTrue(sparkRun.out().contains("Spark local[2], 2 partitions"), sparkRun.out());

        assertTrue(sparkRun.out().contains("barrier stages"), "barrier is the default: " + sparkRun.out());

        Map<String, Tensor> a = Safetensors.read(local).tensors();
        Map<String, Tensor> b = Safetensors.read(spark).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            assertArrayEquals(a.get(key).toArray(), b.get(key).toArray(), 1e-5f, key);
        }
        // one job a step: the same shares added in the same order, so the barrier run's bits
        Path jobs = dir.resolve("jobs.safetensors");
        Run jobsRun = succeed(concat(List.of("spark", "train", "--master", "local[2]", "--partitions", "2", "--sync",
                "jobs"), run, "--save", jobs.toString()));
        assertTrue(jobsRun.out().contains("a job a step"), jobsRun.out());
        Map<String, Tensor> c = Safetensors.read(jobs).tensors();
        for (String key : b.keySet()) {
            assertArrayEquals(b.get(key).toArray(), c.get(key).toArray(), 0f, key);
        }
    }

    @Test
    void parameterAveragingOnOnePartitionIsSomaTrainBitForBitAndOnTwoSaysWhatItRan(@TempDir Path dir) throws Exception {
        Path local = dir.resolve("local.safetensors");
        Path one = dir.resolve("one.safetensors");
        String[] run = {"--data", "moons", "--samples", "400", "--epochs", "2", "--batch", "50", "--seed", "7", "--json"};
        succeed(concat(List.of("train"), run, "--save", local.toString()));
        Run oneRun = succeed(concat(List.of("spark", "train", "--master", "local[2]", "--partitions", "1", "--sync",
                "average", "--local-steps", "3"), run, "--save", one.toString()));
        assertTrue(oneRun.out().contains("parameter averaging every 3 local steps (an approximation)"), oneRun.out());
        Map<String, Tensor> a = Safetensors.read(local).tensors();
        Map<String, Tensor> b = Safetensors.read(one).tensors();
        for (String key : a.keySet()) {
            assertArrayEquals(a.get(key).toArray(), b.get(key).toArray(), 0f, key);
        }
        JsonNode two = succeed(concat(List.of("spark", "train", "--master", "local[2]", "--partitions", "2", "--sync",
                "average"), run)).json();
        assertEquals("average", two.get("sync").asText());
        assertEquals(8, two.get("local_steps").intValue(), "the default");
        double accuracy = numbers(two.get("test_accuracy"))[1];
        assertTrue(accuracy > 0.8, "two moons are learnt with averaging too: " + accuracy);
    }

    @Test
    void aPartitionCountBelowOneIsAUsageMistake() {
        assertUsageError(run("spark", "train", "--data", "xor", "--partitions", "0"), "spark train",
                "--partitions must be ≥ 1, got 0");
        assertUsageError(run("spark", "train", "--data", "xor", "--sync", "async"), "spark train",
                "--sync must be barrier, jobs or average, got 'async'");
        assertUsageError(run("spark", "train", "--data", "xor", "--sync", "average", "--local-steps", "0"), "spark train",
                "--local-steps must be ≥ 1, got 0");
        assertUsageError(run("spark", "train", "--data", "xor", "--local-steps", "4"), "spark train",
                "--local-steps is for --sync average only (--sync barrier steps on the whole batch's gradient)");
    }

    private static String[] concat(List<String> first, String[] middle, String... last) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(middle));
        all.addAll(List.of(last));
        return all.toArray(String[]::new);
    }
}
