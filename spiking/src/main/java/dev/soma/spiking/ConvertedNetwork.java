package dev.soma.spiking;

import dev.soma.nn.Flatten;
import dev.soma.nn.Linear;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A trained ReLU network run as a spiking one, after Rueckauer, Lungu, Hu, Pfeiffer and Liu (2017),
 * "Conversion of continuous-valued deep networks to efficient event-driven networks for image
 * classification", Frontiers in Neuroscience 11:682.
 *
 * <p>Each ReLU unit becomes an integrate-and-fire neuron without leak, threshold {@code θ = 1}, reset
 * by subtraction. Layer {@code l} integrates, at every step,
 * <pre>
 *   Vₗ(t) = Vₗ(t − 1) + Wₗ·sₗ₋₁(t) + bₗ;   sₗ(t) = [Vₗ(t) ≥ 1];   Vₗ(t) ← Vₗ(t) − sₗ(t)
 * </pre>
 * so over {@code T} steps a neuron's rate {@code Nₗ/T} approximates its ReLU activation {@code aₗ}
 * (divided by {@code λₗ}) with an error below {@code 1/T} in the first layer, compounding deeper in.
 * The first layer takes the image as a constant current ({@code s₀(t) = x}), as in the paper; rate
 * coding ({@link Encoders#poisson}) is the alternative.
 *
 * <p>Data-based normalisation: a rate cannot exceed one spike per step, so each layer's weights are
 * scaled by {@code λₗ}, the {@code p}-th percentile (99.9 by default) of its non-zero activations on
 * calibration examples: {@code Wₗ ← Wₗ·λₗ₋₁/λₗ}, {@code bₗ ← bₗ/λₗ}, {@code λ₀ = 1}. The percentile
 * (rather than the maximum) keeps a few outliers from making every other neuron fire too slowly.
 *
 * <p>The output layer spikes like the others and the class is the neuron with the most spikes, ties
 * broken by the potential left over (the paper's experiments read the spike counts; its alternative, a
 * non-spiking output layer read by membrane potential, is the same ordering: with reset by subtraction
 * {@code N_L + V_L(T)} is exactly the input integrated so far).
 *
 * <p>Only multilayer perceptrons convert here: {@code [Flatten,] Linear, ReLU, …, Linear}.
 * Convolutions and max-pooling (the paper's gated pooling) are not built yet, and are refused.
 */
public final class ConvertedNetwork {

    /** Rueckauer et al.'s default percentile of the activations that sets each layer's scale. */
    public static final double DEFAULT_PERCENTILE = 99.9;

    /** How the image enters the first layer. */
    public enum InputCoding {
        /** The intensities as a constant current at every step: the paper's choice. */
        CURRENT,
        /** Rate coding: input {@code i} spikes with probability {@code xᵢ} at each step. */
        POISSON
    }

    private final int[] sizes;
    /** Per layer, normalised, transposed {@code [in][out]} so one presynaptic spike adds one row. */
    private final float[][][] outgoing;
    private final float[][] biases;
    private final double[] scales;

    private ConvertedNetwork(int[] sizes, float[][][] outgoing, float[][] biases, double[] scales) {
        this.sizes = sizes;
        this.outgoing = outgoing;
        this.biases = biases;
        this.scales = scales;
    }

    /**
     * Converts {@code model} (unchanged), scaling each layer by the {@code percentile} of its
     * activations on {@code calibration}, examples shaped as the model's input ({@code [N, …]}).
     *
     * @throws IllegalArgumentException if the model is not an MLP of Linear and ReLU layers, or the
     *     percentile is not in (0, 100]
     */
    public static ConvertedNetwork convert(Module model, Tensor calibration, double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("the percentile must be in (0, 100], got " + percentile);
        }
        List<Linear> layers = linearLayers(model);
        int count = layers.size();
        int[] sizes = new int[count + 1];
        sizes[0] = layers.get(0).inFeatures();
        float[][][] outgoing = new float[count][][];
        float[][] biases = new float[count][];
        double[] scales = new double[count];
        double previousScale = 1;
        try (NoGrad scope = NoGrad.enter()) {
            Tensor activations = flatten(calibration, sizes[0]);
            for (int l = 0; l < count; l++) {
                Linear layer = layers.get(l);
                sizes[l + 1] = layer.outFeatures();
                activations = affine(activations, layer).relu();
                scales[l] = percentileOfPositive(activations.toArray(), percentile);
                outgoing[l] = transposedScaled(layer.weight(), (float) (previousScale / scales[l]));
                biases[l] = scaled(layer.bias(), layer.outFeatures(), (float) (1 / scales[l]));
                previousScale = scales[l];
            }
        }
        return new ConvertedNetwork(sizes, outgoing, biases, scales);
    }

    /**
     * The Linear layers of an MLP, {@code [Flatten,] Linear, ReLU, …, Linear [, ReLU]}, in order.
     *
     * @throws IllegalArgumentException naming the first layer that does not fit
     */
    public static List<Linear> linearLayers(Module model) {
        if (!(model instanceof Sequential sequential)) {
            throw new IllegalArgumentException("only a Sequential of Linear and ReLU layers converts, got "
                    + model.getClass().getSimpleName());
        }
        List<Linear> layers = new ArrayList<>();
        boolean reluExpected = false;
        for (int i = 0; i < sequential.size(); i++) {
            Module layer = sequential.get(i);
            String name = layer.getClass().getSimpleName();
            if (layer instanceof Flatten && i == 0) {
                continue;
            }
            if (name.equals("Conv2d") || name.endsWith("Pool2d")) {
                throw new IllegalArgumentException("layer " + i + " is " + name + ": convolutional networks do not"
                        + " convert yet, only MLPs of Linear and ReLU layers");
            }
            if (layer instanceof Linear linear && !reluExpected) {
                if (!layers.isEmpty() && layers.getLast().outFeatures() != linear.inFeatures()) {
                    throw new IllegalArgumentException("layer " + i + " takes " + linear.inFeatures()
                            + " inputs after a layer of " + layers.getLast().outFeatures());
                }
                layers.add(linear);
                reluExpected = true;
            } else if (layer instanceof ReLU && reluExpected) {
                reluExpected = false;
            } else {
                throw new IllegalArgumentException("layer " + i + " is " + name + ": only networks of Linear layers"
                        + " each followed by ReLU (the last one optionally) convert to integrate-and-fire neurons");
            }
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no Linear layer to convert");
        }
        return layers;
    }

    /**
     * The {@code p}-th percentile of the positive values, interpolated linearly between order
     * statistics as NumPy's default: the value at rank {@code p/100·(n − 1)} of the sorted values.
     * 1 when no value is positive (a layer that never fires keeps its weights).
     */
    static double percentileOfPositive(float[] values, double p) {
        float[] positive = new float[values.length];
        int n = 0;
        for (float v : values) {
            if (v > 0) {
                positive[n++] = v;
            }
        }
        if (n == 0) {
            return 1;
        }
        Arrays.sort(positive, 0, n);
        double rank = p / 100 * (n - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, n - 1);
        return positive[below] + (rank - below) * (positive[above] - positive[below]);
    }

    /** The scale {@code λₗ} of each layer: the percentile of its activations. */
    public double[] scales() {
        return scales.clone();
    }

    /** Neurons per layer, the input first. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The multiply-adds of one forward pass of the ANN: {@code Σₗ inₗ·outₗ}. */
    public long annMacs() {
        long macs = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            macs += (long) sizes[l] * sizes[l + 1];
        }
        return macs;
    }

    /**
     * The multiply-adds of one image's constant input current {@code W₁x + b₁}: computed once, since
     * it does not change from step to step.
     */
    public long inputMacs() {
        return (long) sizes[0] * sizes[1];
    }

    /**
     * The ANN's own predictions (argmax of its outputs) for {@code inputs} {@code [N, …]}.
     */
    public static int[] annPredictions(Module model, Tensor inputs) {
        try (NoGrad scope = NoGrad.enter()) {
            float[] outputs = model.forward(inputs).toArray();
            int n = inputs.size(0);
            int classes = outputs.length / n;
            int[] predictions = new int[n];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (outputs[i * classes + c] > outputs[i * classes + best]) {
                        best = c;
                    }
                }
                predictions[i] = best;
            }
            return predictions;
        }
    }

    /** The class indices in {@code targets} {@code [N]} (floats holding integers), as ints. */
    public static int[] labels(Tensor targets) {
        float[] values = targets.toArray();
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = (int) values[i];
        }
        return labels;
    }

    /** The share of {@code predictions} equal to {@code labels}, entry by entry; 0 for none. */
    public static double accuracy(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(predictions.length + " predictions for " + labels.length + " labels");
        }
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predictions[i] == labels[i] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) right / labels.length;
    }

    /**
     * What one simulation gives: for each checkpoint {@code k} (a number of steps), each image's
     * predicted class and the synaptic events (a spike times its fan-out: one addition) summed over the
     * images up to that step; and each output neuron's spike count at the last step.
     */
    public record Run(int[] checkpoints, int[][] predictions, long[] synapticEvents, int[][] outputCounts) {
    }

    /**
     * Simulates every image of {@code inputs} ({@code [N, …]}, intensities in [0, 1]) for as many
     * steps as the largest checkpoint, reading the prediction at each checkpoint on the way (a run of
     * {@code T} steps is the first {@code T} steps of a longer one). Images run in parallel, each from
     * its own stream of random numbers ({@code seed} and its index), so the result does not depend on
     * the threads.
     */
    public Run simulate(Tensor inputs, int[] checkpoints, InputCoding coding, long seed) {
        int[] sorted = checkpoints.clone();
        Arrays.sort(sorted);
        for (int t : sorted) {
            Encoders.requireSteps(t);
        }
        int n = inputs.size(0);
        float[] flat;
        float[] drive = null;
        try (NoGrad scope = NoGrad.enter()) {
            Tensor x = flatten(inputs, sizes[0]);
            flat = x.toArray();
            if (coding == InputCoding.CURRENT) {
                // The constant current W₁x + b₁ of every image at once: one matrix product.
                Tensor weights = Tensor.of(flattenRows(outgoing[0]), sizes[0], sizes[1]);
                drive = x.matmul(weights).add(Tensor.of(biases[0], sizes[1])).toArray();
            }
        }
        int[][] predictions = new int[sorted.length][n];
        long[][] events = new long[n][sorted.length];
        int[][] outputCounts = new int[n][];
        float[] currents = drive;
        IntStream.range(0, n).parallel().forEach(i -> {
            ImageState state = new ImageState(new Generator(seed * 1_000_003L + i));
            if (currents != null) {
                state.current = Arrays.copyOfRange(currents, i * sizes[1], (i + 1) * sizes[1]);
            } else {
                state.intensities = Arrays.copyOfRange(flat, i * sizes[0], (i + 1) * sizes[0]);
            }
            int k = 0;
            for (int t = 1; t <= sorted[sorted.length - 1]; t++) {
                state.step();
                while (k < sorted.length && sorted[k] == t) {
                    int last = sizes.length - 2;
                    predictions[k][i] = Decoders.spikeCount(state.counts, state.potentials[last]);
                    events[i][k] = state.events;
                    k++;
                }
            }
            outputCounts[i] = state.counts;
        });
        long[] totals = new long[sorted.length];
        for (long[] image : events) {
            for (int k = 0; k < sorted.length; k++) {
                totals[k] += image[k];
            }
        }
        return new Run(sorted, predictions, totals, outputCounts);
    }

    /** One image's membrane potentials and counters, advanced one step at a time. */
    private final class ImageState {
        final float[][] potentials;
        final int[][] spikes;
        final int[] spikeCounts;
        final int[] counts;
        final Generator generator;
        float[] current;
        float[] intensities;
        long events;

        ImageState(Generator generator) {
            int layers = sizes.length - 1;
            this.generator = generator;
            potentials = new float[layers][];
            spikes = new int[layers + 1][];
            spikeCounts = new int[layers + 1];
            for (int l = 0; l < layers; l++) {
                potentials[l] = new float[sizes[l + 1]];
            }
            for (int l = 0; l <= layers; l++) {
                spikes[l] = new int[sizes[l]];
            }
            counts = new int[sizes[layers]];
        }

        /** {@code V += W·s + b}, then every neuron at or above 1 spikes and loses 1; layer by layer. */
        void step() {
            int layers = sizes.length - 1;
            for (int l = 0; l < layers; l++) {
                float[] v = potentials[l];
                if (l == 0 && current != null) {
                    for (int j = 0; j < v.length; j++) {
                        v[j] += current[j];
                    }
                } else {
                    if (l == 0) {
                        encodeInput();
                    }
                    addBias(v, biases[l]);
                    float[][] rows = outgoing[l];
                    int[] presynaptic = spikes[l];
                    for (int s = 0; s < spikeCounts[l]; s++) {
                        float[] row = rows[presynaptic[s]];
                        for (int j = 0; j < v.length; j++) {
                            v[j] += row[j];
                        }
                    }
                    events += (long) spikeCounts[l] * v.length;
                }
                int fired = 0;
                int[] out = spikes[l + 1];
                for (int j = 0; j < v.length; j++) {
                    if (v[j] >= 1) {
                        v[j] -= 1;
                        out[fired++] = j;
                    }
                }
                spikeCounts[l + 1] = fired;
            }
            for (int s = 0; s < spikeCounts[layers]; s++) {
                counts[spikes[layers][s]]++;
            }
        }

        private void encodeInput() {
            int fired = 0;
            for (int i = 0; i < intensities.length; i++) {
                if (generator.nextFloat() < intensities[i]) {
                    spikes[0][fired++] = i;
                }
            }
            spikeCounts[0] = fired;
        }
    }

    private static void addBias(float[] v, float[] bias) {
        for (int j = 0; j < v.length; j++) {
            v[j] += bias[j];
        }
    }

    private static Tensor flatten(Tensor inputs, int features) {
        int n = inputs.size(0);
        if (inputs.shape().length < 1 || (long) n * features != numel(inputs)) {
            throw new IllegalArgumentException("inputs of shape " + Arrays.toString(inputs.shape()) + " do not have "
                    + features + " features per example");
        }
        return inputs.reshape(n, features);
    }

    private static long numel(Tensor t) {
        long count = 1;
        for (int d : t.shape()) {
            count *= d;
        }
        return count;
    }

    private static Tensor affine(Tensor x, Linear layer) {
        Tensor y = x.matmul(layer.weight().t());
        return layer.bias() == null ? y : y.add(layer.bias());
    }

    private static float[][] transposedScaled(Tensor weight, float factor) {
        int out = weight.size(0);
        int in = weight.size(1);
        float[] w = weight.toArray();
        float[][] rows = new float[in][out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                rows[i][o] = w[o * in + i] * factor;
            }
        }
        return rows;
    }

    private static float[] scaled(Tensor bias, int size, float factor) {
        float[] b = bias == null ? new float[size] : bias.toArray();
        for (int j = 0; j < size; j++) {
            b[j] *= factor;
        }
        return b;
    }

    private static float[] flattenRows(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * columns, columns);
        }
        return flat;
    }
}
