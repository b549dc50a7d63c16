package dev.soma.playground;

import dev.soma.nn.Dropout;
import dev.soma.nn.Linear;
import dev.soma.nn.Module;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Everything the page draws, at one moment of a session; the server sends it as JSON.
 *
 * <p>Surfaces are sampled at the centres of a {@code grid × grid} lattice over the square
 * {@code [min, max]²}, row by row, row 0 at the top (largest x₂), and sent as base64 bytes, 0 to 255:
 * <ul>
 *   <li>{@code output}: two classes, σ(z)·255; several, the predicted class (with {@code confidence},
 *       its softmax probability ·255); regression, (clamp(y, −1, 1) + 1)/2 ·255;
 *   <li>each neuron's {@code surface} (on a {@code neuronGrid} lattice): (v/r + 1)/2 ·255 with
 *       r = max |v| over the lattice, given as {@code range}.
 * </ul>
 *
 * @param step steps trained
 * @param epoch passes over the training set
 * @param problem "binary", "multiclass" or "regression"
 * @param classes 2 or more, 0 for regression
 * @param evaluation losses, accuracies, confusion matrix
 * @param history {@code [step, epoch, train loss, test loss]} rows
 * @param min the square's lower end
 * @param max its upper end
 * @param grid the output lattice's side
 * @param output the output surface
 * @param confidence for several classes, the predicted class's probability; else null
 * @param neuronGrid the side of each neuron's lattice
 * @param layers the input layer (features, no weights) then each layer of neurons, the output last
 * @param collapsed when every σ is linear, the single linear map it amounts to ({@link Session#collapsed})
 * @param dataVersion changes when the points do
 * @param points the points, when asked for; else null
 * @param settings the session's settings
 */
public record Snapshot(long step, int epoch, String problem, int classes, Evaluation evaluation, List<double[]> history,
        float min, float max, int grid, String output, String confidence, int neuronGrid, List<Layer> layers,
        double[][] collapsed, int dataVersion, List<Point> points, Settings settings) {

    /**
     * One column of neurons.
     *
     * @param name "x1"… for inputs, "hidden 1"…, "output"
     * @param activation the σ of the layer (null for the inputs; the output's is sigmoid, softmax or linear)
     * @param weights {@code [neuron][input]}: what each neuron multiplies the layer before by (null for inputs)
     * @param biases one per neuron (null for inputs)
     * @param neurons each neuron's surface and its range
     */
    public record Layer(String name, String activation, float[][] weights, float[] biases, List<Neuron> neurons) {
    }

    /** One neuron's surface, encoded as described above, and r. */
    public record Neuron(String label, String surface, float range) {
    }

    /** The side of the output lattice: 100 × 100. */
    public static final int GRID = 100;
    /** The side of each neuron's lattice: 25 × 25, every fourth point of the output's. */
    public static final int NEURON_GRID = 25;

    /** The snapshot of {@code session} now; {@code withPoints} adds the points. */
    public static Snapshot of(Session session, boolean withPoints) {
        float[] square = square(session);
        float min = square[0];
        float max = square[1];
        List<Feature> features = session.features();
        int width = features.size();
        int cells = GRID * GRID;
        float[] inputs = new float[cells * width];
        float cell = (max - min) / GRID;
        for (int row = 0; row < GRID; row++) {
            float x2 = max - (row + 0.5f) * cell;
            for (int col = 0; col < GRID; col++) {
                float x1 = min + (col + 0.5f) * cell;
                for (int f = 0; f < width; f++) {
                    inputs[(row * GRID + col) * width + f] = features.get(f).apply(x1, x2);
                }
            }
        }
        List<Layer> layers = new ArrayList<>();
        List<Neuron> inputNeurons = new ArrayList<>();
        for (int f = 0; f < width; f++) {
            inputNeurons.add(neuron(features.get(f).label(), inputs, width, f));
        }
        layers.add(new Layer("inputs", null, null, null, inputNeurons));

        int classes = session.classes();
        List<Module> modules = session.modules();
        List<Linear> linears = session.linears();
        List<String> activations = session.settings().activations();
        float[] outputs;
        session.model().eval();
        try (NoGrad scope = NoGrad.enter()) {
            Tensor x = Tensor.of(inputs, cells, width);
            int hidden = 0;
            int m = 0;
            while (m < modules.size() - 1) { // the last module is the output Linear
                Linear linear = (Linear) modules.get(m++);
                x = modules.get(m++).forward(linear.forward(x)); // Linear, then σ
                while (m < modules.size() - 1 && modules.get(m) instanceof Dropout) {
                    m++; // dropout passes values through in evaluation mode
                }
                int out = linear.outFeatures();
                float[] values = x.toArray();
                List<Neuron> neurons = new ArrayList<>();
                for (int n = 0; n < out; n++) {
                    neurons.add(neuron("h" + (hidden + 1) + "." + (n + 1), values, out, n));
                }
                layers.add(new Layer("hidden " + (hidden + 1), activations.get(hidden), weights(linear),
                        linear.bias().toArray(), neurons));
                hidden++;
            }
            Linear last = linears.get(linears.size() - 1);
            outputs = last.forward(x).toArray();
        } finally {
            session.model().train();
        }
        Linear last = linears.get(linears.size() - 1);
        String outputActivation = classes == 0 ? "linear" : classes == 2 ? "sigmoid" : "softmax";
        List<Neuron> outputNeurons = new ArrayList<>();
        int outWidth = last.outFeatures();
        for (int n = 0; n < outWidth; n++) {
            outputNeurons.add(neuron(outWidth == 1 ? "output" : "class " + n, outputs, outWidth, n));
        }
        layers.add(new Layer("output", outputActivation, weights(last), last.bias().toArray(), outputNeurons));

        byte[] surface = new byte[cells];
        byte[] confidence = classes > 2 ? new byte[cells] : null;
        for (int i = 0; i < cells; i++) {
            if (classes == 2) {
                surface[i] = toByte(1 / (1 + Math.exp(-outputs[i])));
            } else if (classes == 0) {
                surface[i] = toByte((Math.max(-1, Math.min(1, outputs[i])) + 1) / 2);
            } else {
                int best = Evaluation.predicted(outputs, i, classes);
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += Math.exp(outputs[i * classes + k] - outputs[i * classes + best]);
                }
                surface[i] = (byte) best;
                confidence[i] = toByte(1 / sum);
            }
        }
        Base64.Encoder base64 = Base64.getEncoder();
        return new Snapshot(session.step(), session.epoch(), classes == 0 ? "regression" : classes == 2 ? "binary" : "multiclass",
                classes, session.evaluate(), session.history(), min, max, GRID, base64.encodeToString(surface),
                confidence == null ? null : base64.encodeToString(confidence), NEURON_GRID, layers, session.collapsed(),
                session.dataVersion(), withPoints ? session.points() : null, session.settings());
    }

    /** The square the session is drawn in: its data set's, or for custom points one that fits them. */
    static float[] square(Session session) {
        DataSet set = DataSet.of(session.settings().dataset());
        List<Point> points = session.points();
        if (set != DataSet.CUSTOM || points.isEmpty()) {
            return new float[] {set.min(), set.max()};
        }
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (Point p : points) {
            lo = Math.min(lo, Math.min(p.x1(), p.x2()));
            hi = Math.max(hi, Math.max(p.x1(), p.x2()));
        }
        float pad = Math.max(0.25f, (hi - lo) * 0.1f);
        return new float[] {Math.min(lo - pad, -1.5f), Math.max(hi + pad, 1.5f)};
    }

    private static float[][] weights(Linear linear) {
        float[] w = linear.weight().toArray();
        int in = linear.inFeatures();
        float[][] rows = new float[linear.outFeatures()][in];
        for (int o = 0; o < rows.length; o++) {
            System.arraycopy(w, o * in, rows[o], 0, in);
        }
        return rows;
    }

    /** Column {@code column} of a {@code [GRID², width]} array, sampled on the neuron lattice and encoded. */
    private static Neuron neuron(String label, float[] values, int width, int column) {
        int step = GRID / NEURON_GRID;
        float range = 0;
        for (int row = 0; row < NEURON_GRID; row++) {
            for (int col = 0; col < NEURON_GRID; col++) {
                range = Math.max(range, Math.abs(values[((row * step + step / 2) * GRID + col * step + step / 2) * width + column]));
            }
        }
        float r = range > 0 && Float.isFinite(range) ? range : 1;
        byte[] bytes = new byte[NEURON_GRID * NEURON_GRID];
        for (int row = 0; row < NEURON_GRID; row++) {
            for (int col = 0; col < NEURON_GRID; col++) {
                float v = values[((row * step + step / 2) * GRID + col * step + step / 2) * width + column];
                bytes[row * NEURON_GRID + col] = toByte((v / r + 1) / 2);
            }
        }
        return new Neuron(label, Base64.getEncoder().encodeToString(bytes), range);
    }

    private static byte toByte(double unit) {
        double clamped = Double.isNaN(unit) ? 0.5 : Math.max(0, Math.min(1, unit));
        return (byte) Math.round(clamped * 255);
    }
}
