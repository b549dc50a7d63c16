package dev.soma.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.soma.tensor.DType;
import dev.soma.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trip, against PyTorch itself: two PyTorch models holding every layer type model
 * files support (an image model: convolutions with non-square kernels, strides, paddings, "same" and
 * groups, Conv1d, ConvTranspose2d, BatchNorm1d/2d, LayerNorm, the pools, every activation, Dropout,
 * Dropout2d, Flatten, Unflatten; and a token model: Embedding with int64 indices), saved by PyTorch
 * ({@code state_dict()}, BatchNorm's {@code num_batches_tracked} as I64), loaded and run by Soma, saved
 * by Soma, loaded by PyTorch with {@code strict=True}: the same outputs at every step. PyTorch's side
 * is {@code core/src/test/python/torch_round_trip.py}. Skipped where no {@code python3} with torch is
 * installed.
 */
class TorchRoundTripTest {

    private static final Path SCRIPT = Path.of("src/test/python/torch_round_trip.py");

    @Test
    void aPyTorchModelOfEveryLayerTypeRoundTripsThroughSoma(@TempDir Path dir) throws Exception {
        Process torch = python(dir);
        assumeTrue(torch != null, "no python3 with torch is installed");
        try {
            Map<String, Tensor> io = Safetensors.read(dir.resolve("io.safetensors")).tensors();
            assertEquals(DType.INT64, io.get("x_tokens").dtype(), "PyTorch's token indices arrive as int64");
            for (String name : List.of("image", "tokens")) {
                Path torchFile = dir.resolve(name + ".safetensors");
                ModelFile loaded = ModelFile.load(torchFile);
                Tensor output = loaded.model().forward(io.get("x_" + name));
                assertClose(io.get("y_" + name), output, name + ": Soma running PyTorch's weights");
                if (name.equals("image")) {
                    assertEquals("I64", Safetensors.read(torchFile).dtypes().get("1.num_batches_tracked"));
                    assertEquals(3, loaded.model().stateDict().get("1.num_batches_tracked").itemLong());
                }
                Path somaFile = dir.resolve(name + "-soma.safetensors");
                ModelFile.save(somaFile, loaded.model(), loaded.spec(), List.of(), Map.of());
                assertEquals(new TreeSet<>(Safetensors.read(torchFile).dtypes().entrySet().stream()
                                .map(Object::toString).toList()),
                        new TreeSet<>(Safetensors.read(somaFile).dtypes().entrySet().stream().map(Object::toString).toList()),
                        name + ": Soma writes PyTorch's state-dict names and types, no more, no fewer");
            }
            torch.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            torch.getOutputStream().flush();
            String rest = new String(torch.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(torch.waitFor(120, TimeUnit.SECONDS), "python3 did not finish");
            assertEquals(0, torch.exitValue(), rest);
            Map<String, Tensor> back = Safetensors.read(dir.resolve("torch-out.safetensors")).tensors();
            for (String name : List.of("image", "tokens")) {
                assertClose(io.get("y_" + name), back.get("y_" + name), name + ": PyTorch running Soma's file");
            }
        } finally {
            torch.destroy();
        }
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertEquals(List.of(expected.shape().length), List.of(actual.shape().length), what);
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5 * (1 + Math.abs(e[i])), what + ", element " + i);
        }
    }

    /**
     * PyTorch's side started in mode {@code both}, once it has saved its files and waits for Soma's;
     * null when no python3 with torch is installed.
     */
    private static Process python(Path dir) throws IOException {
        for (String python3 : new String[] {"/usr/bin/python3", "python3"}) { // the system's, then the path's
            Process p;
            try {
                p = new ProcessBuilder(python3, SCRIPT.toString(), "both", dir.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                continue; // no such python3: try the next
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder out = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals("saved")) {
                    return p;
                }
                out.append(line).append('\n');
            }
            if (!out.toString().contains("No module named 'torch'")) {
                throw new AssertionError("python3 failed:\n" + out);
            }
        }
        return null;
    }
}
