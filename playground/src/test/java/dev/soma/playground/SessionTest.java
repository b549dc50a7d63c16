package dev.soma.playground;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.nn.Linear;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {

    @Test
    void xor241LearnsEveryTestPoint() {
        Session session = new Session(Presets.of("xor-2-4-1"));
        session.step(1500);
        assertEquals(1.0, session.evaluate().testAccuracy(), "test accuracy after 1500 steps");
        assertEquals(1.0, session.evaluate().trainAccuracy());
    }

    @Test
    void xorWithLinearActivationsCannotBeatALine() {
        Session session = new Session(Presets.of("xor-linear"));
        session.step(1500);
        // A line puts at most 3 of the 4 corners on the right side: 75 %, whatever the training.
        assertTrue(session.evaluate().testAccuracy() <= 0.80, "linear XOR accuracy " + session.evaluate().testAccuracy());
        assertTrue(session.evaluate().trainAccuracy() <= 0.80);
    }

    @Test
    void aSingleNeuronLearnsAndButNotXor() {
        Session and = new Session(Presets.of("neuron-and"));
        and.step(1000);
        assertEquals(1.0, and.evaluate().testAccuracy());
        Session xor = new Session(Presets.of("neuron-xor"));
        xor.step(1000);
        assertTrue(xor.evaluate().testAccuracy() <= 0.80);
    }

    @Test
    void oneHiddenLayerFitsTheSineCurve() {
        Session curve = new Session(Presets.of("curve"));
        double before = curve.evaluate().testLoss();
        curve.step(2000);
        // sin(πx) has variance ½ on [-1, 1]: the untrained loss is near that; the fit is far below.
        assertTrue(curve.evaluate().testLoss() < 0.02 && curve.evaluate().testLoss() < before / 10,
                "loss " + before + " -> " + curve.evaluate().testLoss());
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
        Settings settings = Settings.defaults();
        Session a = new Session(settings);
        Session b = new Session(settings);
        a.step(300);
        b.step(300);
        assertEquals(a.points(), b.points());
        for (int i = 0; i < a.linears().size(); i++) {
            assertArrayEquals(a.linears().get(i).weight().toArray(), b.linears().get(i).weight().toArray());
        }
        assertEquals(a.evaluate().trainLoss(), b.evaluate().trainLoss());

        Session c = new Session(new Settings("circle", 500, 0, 50, 10, 1, List.of("x1", "x2"), List.of(4, 2),
                List.of("tanh", "tanh"), "sgd", 0.03, "none", 0, 0));
        assertNotEquals(a.points(), c.points());
    }

    @Test
    void resetStartsAgainFromTheSameWeights() {
        Session session = new Session(Settings.defaults());
        float[] initial = session.linears().get(0).weight().toArray();
        session.step(50);
        assertEquals(50, session.step());
        session.reset();
        assertEquals(0, session.step());
        assertEquals(0, session.epoch());
        assertArrayEquals(initial, session.linears().get(0).weight().toArray());
    }

    @Test
    void countersCountStepsAndPasses() {
        Session session = new Session(Settings.defaults()); // 250 training points, batch 10
        session.step(60);
        assertEquals(60, session.step());
        assertEquals(2, session.epoch()); // 25 steps per pass
    }

    @Test
    void anEditedWeightIsTheNetworksWeight() {
        Session session = new Session(Presets.of("xor-2-4-1"));
        session.setWeight(0, 2, 1, 3.5);
        session.setBias(1, 0, -0.25);
        assertEquals(3.5f, session.linears().get(0).weight().get(2, 1));
        assertEquals(-0.25f, session.linears().get(1).bias().get(0));
        assertThrows(PlaygroundException.class, () -> session.setWeight(0, 4, 0, 1));
        assertThrows(PlaygroundException.class, () -> session.setWeight(2, 0, 0, 1));
        assertThrows(PlaygroundException.class, () -> session.setBias(0, 0, Double.NaN));
    }

    @Test
    void theCollapsedMapIsTheNetworkItself() {
        Session session = new Session(Presets.of("xor-linear"));
        session.step(100);
        double[][] map = session.collapsed();
        assertEquals(1, map.length);
        float[] x = {0.3f, -0.7f};
        float y;
        try (NoGrad scope = NoGrad.enter()) {
            session.model().eval();
            y = session.model().forward(Tensor.of(x, 1, 2)).item();
        }
        assertEquals(map[0][0] * x[0] + map[0][1] * x[1] + map[0][2], y, 1e-5);
        assertNull(new Session(Presets.of("xor-2-4-1")).collapsed());
    }

    @Test
    void limitsAreCheckedWithTheirNames() {
        Settings d = Settings.defaults();
        var tooDeep = new Settings("circle", 500, 0, 50, 10, 0, d.features(), List.of(1, 1, 1, 1, 1, 1, 1, 1, 1),
                List.of(), "sgd", 0.03, "none", 0, 0);
        assertTrue(assertThrows(PlaygroundException.class, () -> new Session(tooDeep)).getMessage().contains("at most 8 hidden layers"));
        var tooWide = new Settings("circle", 500, 0, 50, 10, 0, d.features(), List.of(17), List.of("relu"), "sgd", 0.03, "none", 0, 0);
        assertTrue(assertThrows(PlaygroundException.class, () -> new Session(tooWide)).getMessage()
                .contains("neurons in hidden layer 1 must be between 1 and 16, got 17"));
        var noisy = new Settings("circle", 500, 51, 50, 10, 0, d.features(), List.of(), List.of(), "sgd", 0.03, "none", 0, 0);
        assertThrows(PlaygroundException.class, () -> new Session(noisy));
        var unknown = new Settings("circle", 500, 0, 50, 10, 0, List.of("x3"), List.of(), List.of(), "sgd", 0.03, "none", 0, 0);
        assertTrue(assertThrows(PlaygroundException.class, () -> new Session(unknown)).getMessage().contains("unknown feature 'x3'"));
        Session session = new Session(d);
        assertThrows(PlaygroundException.class, () -> session.apply(noisy));
        assertEquals(d.validated(), session.settings(), "a refused change leaves the session as it was");
    }

    @Test
    void everyDataSetActivationAndOptimizerTrains() {
        String[] optimizers = {"sgd", "momentum", "adam"};
        ActivationKind[] activations = ActivationKind.values();
        int i = 0;
        for (DataSet set : DataSet.values()) {
            if (set == DataSet.CUSTOM) {
                continue;
            }
            ActivationKind activation = activations[i % activations.length];
            Settings s = new Settings(set.id(), 40, 20, 50, 5, i, List.of("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"),
                    List.of(3, 2), List.of(activation.id(), activation.id()), optimizers[i % 3], 0.01, i % 2 == 0 ? "l1" : "l2",
                    0.001, 0.1);
            i++;
            Session session = new Session(s);
            session.step(5);
            assertTrue(Double.isFinite(session.evaluate().trainLoss()), set + " " + activation);
            Snapshot snapshot = Snapshot.of(session, true);
            assertEquals(4, snapshot.layers().size());
            assertEquals(7, snapshot.layers().get(0).neurons().size());
        }
        assertTrue(i >= activations.length, "every activation was used");
    }

    @Test
    void blobsHaveThreeClassesAndASoftmaxOutput() {
        Session session = new Session(new Settings("blobs", 300, 0, 50, 10, 0, List.of("x1", "x2"), List.of(4),
                List.of("relu"), "adam", 0.03, "none", 0, 0));
        assertEquals(3, session.classes());
        session.step(600);
        assertTrue(session.evaluate().testAccuracy() > 0.95, "blobs accuracy " + session.evaluate().testAccuracy());
        int[][] confusion = session.evaluate().confusion();
        int total = 0;
        for (int[] row : confusion) {
            for (int c : row) {
                total += c;
            }
        }
        assertEquals(150, total, "the confusion matrix counts every test point once");
        assertEquals("multiclass", Snapshot.of(session, false).problem());
    }

    @Test
    void clickedPointsMakeTheDataCustomAndCanAddAClass() {
        Session session = new Session(Presets.of("xor-2-4-1"));
        session.addPoint(0.5f, 0.5f, 2);
        assertEquals("custom", session.settings().dataset());
        assertEquals(3, session.classes());
        assertEquals(101, session.points().size());
        assertThrows(PlaygroundException.class, () -> session.addPoint(0, 0, 8));
        assertThrows(PlaygroundException.class, () -> session.addPoint(0, 0, 0.5f));
        session.step(3);
    }

    @Test
    void theSnapshotsOutputSurfaceIsTheNetworksOutput() {
        Session session = new Session(Presets.of("xor-2-4-1"));
        session.step(200);
        Snapshot snapshot = Snapshot.of(session, false);
        byte[] surface = java.util.Base64.getDecoder().decode(snapshot.output());
        assertEquals(Snapshot.GRID * Snapshot.GRID, surface.length);
        // The cell in row 10, column 70: x₁ = min + 70.5·cell, x₂ = max − 10.5·cell.
        float cell = (snapshot.max() - snapshot.min()) / Snapshot.GRID;
        float x1 = snapshot.min() + 70.5f * cell;
        float x2 = snapshot.max() - 10.5f * cell;
        float z;
        try (NoGrad scope = NoGrad.enter()) {
            session.model().eval();
            z = session.model().forward(Tensor.of(new float[] {x1, x2}, 1, 2)).item();
        }
        double p = 1 / (1 + Math.exp(-z));
        assertEquals(Math.round(p * 255), surface[10 * Snapshot.GRID + 70] & 0xff);
    }

    @Test
    void theExportedFileRebuildsTheSameNetwork(@TempDir Path dir) throws Exception {
        Session session = new Session(Presets.of("xor-2-4-1"));
        session.step(300);
        Path file = dir.resolve("xor.safetensors");
        session.export(file);
        ModelFile saved = ModelFile.load(file);
        assertArrayEquals(new int[] {2}, saved.spec().input());
        float[] x = {0.1f, 0.9f};
        float expected;
        try (NoGrad scope = NoGrad.enter()) {
            session.model().eval();
            expected = (float) (1 / (1 + Math.exp(-session.model().forward(Tensor.of(x, 1, 2)).item())));
            assertEquals(expected, saved.model().forward(Tensor.of(x, 1, 2)).item(), 1e-6);
        }
        assertEquals("xor", saved.metadata().get("soma.playground.dataset"));
        assertEquals(Preprocessing.points("xor", session.features().stream().map(Feature::feature).toList()),
                saved.input(), "soma predict --input computes the same inputs");
        Linear first = session.linears().get(0);
        assertArrayEquals(first.weight().toArray(), saved.model().stateDict().get("0.weight").toArray());
    }
}
