package dev.soma.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.soma.nn.Linear;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The downloaded model read by PyTorch: the file's spec rebuilt as {@code nn.Sequential} and its
 * tensors loaded strictly, as docs/MODEL-FILES.md shows, give the session's own outputs. The
 * safetensors file is parsed by a few lines of Python (its format is a JSON header and raw
 * little-endian floats), so only torch is needed. Skipped where no {@code python3} with torch is installed.
 */
class TorchExportTest {

    private static final String SCRIPT = """
            import json, struct, sys, torch, torch.nn as nn
            raw = open(sys.argv[1], "rb").read()
            size = struct.unpack("<Q", raw[:8])[0]
            header = json.loads(raw[8:8 + size])
            metadata = header.pop("__metadata__")
            state = {}
            for name, t in header.items():
                assert t["dtype"] == "F32", t
                start, end = t["data_offsets"]
                values = struct.unpack("<%df" % ((end - start) // 4), raw[8 + size + start:8 + size + end])
                state[name] = torch.tensor(values, dtype=torch.float32).reshape(t["shape"])
            LAYERS = {"linear": nn.Linear, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
                      "leaky_relu": nn.LeakyReLU, "gelu": nn.GELU, "identity": nn.Identity, "dropout": nn.Dropout}
            spec = json.loads(metadata["soma.spec"])
            model = nn.Sequential(*(LAYERS[layer.pop("type")](**layer) for layer in spec["layers"]))
            model.load_state_dict(state)
            x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.3, -0.7]])
            with torch.no_grad():
                print(" ".join("%.7f" % v for v in model.eval()(x).flatten().tolist()))
            """;

    @Test
    void pyTorchReadsTheDownloadedModelAndComputesTheSameOutputs(@TempDir Path dir) throws Exception {
        Session session = new Session(Presets.of("xor-2-4-1"));
        session.step(300);
        Path model = dir.resolve("playground.safetensors");
        session.export(model);
        Path script = dir.resolve("read.py");
        Files.writeString(script, SCRIPT);
        String out = null;
        for (String python3 : new String[] {"/usr/bin/python3", "python3"}) { // the system's, then the path's
            String answer = run(python3, script, model);
            if (answer != null && !answer.contains("No module named 'torch'")) {
                out = answer;
                break;
            }
        }
        assumeTrue(out != null, "no python3 with torch is installed");
        String[] torch = out.split(" ");
        float[][] points = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.3f, -0.7f}};
        assertEquals(points.length, torch.length, out);
        int last = session.linears().size();
        for (int i = 0; i < points.length; i++) {
            double z = LifProbe.weightedSums(session, last, points[i][0], points[i][1])[0];
            assertEquals(1 / (1 + Math.exp(-z)), Double.parseDouble(torch[i]), 1e-5, "σ(z) at point " + i);
        }
        Linear hidden = session.linears().get(0);
        assertEquals(4, hidden.outFeatures());
    }

    /** What {@code python3 script model} printed, or null when there is no such python3. */
    private static String run(String python3, Path script, Path model) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python3, script.toString(), model.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 did not finish");
            assertTrue(p.exitValue() == 0 || out.contains("No module named 'torch'"), out);
            return out;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
