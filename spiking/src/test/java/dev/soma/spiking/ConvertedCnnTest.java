package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.AvgPool2d;
import dev.soma.nn.BatchNorm2d;
import dev.soma.nn.Conv2d;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Flatten;
import dev.soma.nn.Linear;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.optim.Adam;
import dev.soma.spiking.ConvertedNetwork.InputCoding;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Convolutional networks converted: BatchNorm folding, the max-pooling gate, a trained CNN. */
class ConvertedCnnTest {

    @Test
    void foldingBatchNormIntoTheConvolutionGivesTheSameOutputs() {
        Generator g = new Generator(3);
        Conv2d conv = new Conv2d(new Conv2d.Spec(2, 5, 3).padding(1), g);
        BatchNorm2d norm = new BatchNorm2d(5);
        try (NoGrad scope = NoGrad.enter()) {
            for (int c = 0; c < 5; c++) {
                norm.runningMean().denseStorage()[c] = 0.3f * c - 0.5f;
                norm.runningVar().denseStorage()[c] = 0.2f + 0.7f * c;
                norm.weight().denseStorage()[c] = 1.5f - 0.4f * c;
                norm.bias().denseStorage()[c] = 0.1f * c - 0.2f;
            }
        }
        norm.eval();
        Tensor x = Tensor.randn(g, 3, 2, 6, 7);
        try (NoGrad scope = NoGrad.enter()) {
            float[] unfolded = norm.forward(conv.forward(x)).toArray();
            Tensor[] folded = ConversionPlan.foldBatchNorm(conv.weight(), conv.bias(), norm);
            float[] direct = x.conv2d(folded[0], folded[1], 1, 1, 1).toArray();
            // Float rounding alone: the two orders of the same arithmetic.
            for (int i = 0; i < unfolded.length; i++) {
                assertEquals(unfolded[i], direct[i], 2e-6 * (1 + Math.abs(unfolded[i])), "output " + i);
            }
        }
    }

    @Test
    void spikesScatteredThroughTheKernelAddUpToTheConvolution() {
        // A spike of input (c, y, x) adds the kernel's weights to the outputs it reaches: for a binary
        // spike pattern s the potentials must be conv2d(s, W) (no bias), whatever the stride, padding and
        // dilation; and the additions counted (fan-outs) are the ones a dense loop would make.
        Generator g = new Generator(4);
        int[][] settings = {{1, 1, 1}, {2, 1, 1}, {2, 0, 2}, {1, 2, 2}};
        for (int[] setting : settings) {
            int stride = setting[0];
            int padding = setting[1];
            int dilation = setting[2];
            Tensor weight = Tensor.randn(g, 3, 2, 3, 3);
            ConvolutionLayer layer = new ConvolutionLayer(weight, null, new int[] {2, 7, 6}, stride, padding, dilation,
                    1, 1);
            float[] s = new float[2 * 7 * 6];
            float[] potentials = layer.newState();
            long additions = 0;
            for (int unit = 0; unit < s.length; unit++) {
                if (g.nextFloat() < 0.4f) {
                    s[unit] = 1;
                    layer.integrate(unit, potentials);
                    additions += layer.fanOut(unit);
                }
            }
            float[] expected = Tensor.of(s, 1, 2, 7, 6).conv2d(weight, null, stride, padding, dilation).toArray();
            assertEquals(expected.length, potentials.length, Arrays.toString(setting));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], potentials[i], 1e-5, "output " + i + " of " + Arrays.toString(setting));
            }
            long dense = 0; // count, output by output, the taps that read a spiking input
            int outH = (7 + 2 * padding - dilation * 2 - 1) / stride + 1;
            int outW = (6 + 2 * padding - dilation * 2 - 1) / stride + 1;
            for (int c = 0; c < 2; c++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int y = oy * stride - padding + ky * dilation;
                                int x = ox * stride - padding + kx * dilation;
                                if (y >= 0 && y < 7 && x >= 0 && x < 6 && s[(c * 7 + y) * 6 + x] == 1) {
                                    dense += 3;
                                }
                            }
                        }
                    }
                }
            }
            assertEquals(dense, additions, Arrays.toString(setting));
        }
        AveragePoolLayer pool = new AveragePoolLayer(new int[] {2, 5, 5}, 2, 2, 1, 1);
        Tensor x = Tensor.rand(g, 1, 2, 5, 5);
        float[] potentials = pool.newState();
        float[] values = x.toArray();
        for (int unit = 0; unit < values.length; unit++) {
            float[] one = pool.newState();
            pool.integrate(unit, one);
            for (int j = 0; j < one.length; j++) {
                potentials[j] += values[unit] * one[j];
            }
        }
        float[] expected = AvgPool2d.avgPool2d(x, 2, 2, 1).toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], potentials[i], 1e-6, "average pooling output " + i);
        }
    }

    @Test
    void theGatePassesTheSpikesOfTheFastestUnitOfItsWindow() {
        // One 2×2 window; unit k spikes every periods[k] steps: the output follows the fastest, period 3.
        PoolGate gate = new PoolGate(new int[] {1, 2, 2}, 2, 2, 0);
        int[] periods = {7, 5, 3, 4};
        float[] counts = gate.newState();
        int[] in = new int[4];
        int[] out = new int[1];
        int passed = 0;
        for (int t = 1; t <= 420; t++) {
            int count = 0;
            for (int k = 0; k < 4; k++) {
                if (t % periods[k] == 0) {
                    in[count++] = k;
                }
            }
            passed += gate.step(in, count, counts, out);
        }
        assertArrayEquals(new float[] {60, 84, 140, 105}, counts);
        // Early on counts tie and the first tied unit leads: at step 5 unit 1 (count 1, as units 2 and
        // 3) passes one spike; from step 6 on unit 2 leads for good.
        assertEquals(140 + 1, passed, "the fastest unit's 140 spikes and one while the lead settles");
        assertEquals(0, gate.annMacs());
    }

    @Test
    void throughAveragePoolingTheOutputRatesAreTheAnnsActivationsOverTheirScale() {
        // Scaled by the maximum (percentile 100) nothing is clipped, so each output neuron's rate over
        // T steps approaches its ANN activation over λ, error O(1/T) per layer.
        Generator g = new Generator(9);
        Sequential model = new Sequential(new Conv2d(new Conv2d.Spec(1, 4, 3).padding(1), g), new ReLU(),
                new AvgPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 3, g), new ReLU());
        Tensor images = Tensor.rand(g, 40, 1, 8, 8);
        ConvertedNetwork network = ConvertedNetwork.convert(model, images, 100);
        assertEquals(java.util.List.of("conv[4, 8, 8]", "avgpool[4, 4, 4]", "dense[3]"), network.layerNames());
        int steps = 1000;
        ConvertedNetwork.Run run = network.simulate(images, new int[] {steps}, InputCoding.CURRENT, 0);
        float[] ann;
        try (NoGrad scope = NoGrad.enter()) {
            ann = model.forward(images).toArray();
        }
        double scale = network.scales()[2];
        double worst = 0;
        for (int i = 0; i < 40; i++) {
            for (int c = 0; c < 3; c++) {
                double rate = run.outputCounts()[i][c] / (double) steps;
                worst = Math.max(worst, Math.abs(rate - ann[i * 3 + c] / scale));
            }
        }
        // Measured: 0.0025.
        assertTrue(worst < 0.02, "largest rate error " + worst);
    }

    @Test
    void aTrainedCnnSpikesTheClassesItComputes() {
        Generator g = new Generator(7);
        Sequential model = new Sequential(
                new Conv2d(new Conv2d.Spec(1, 4, 3).padding(1), g), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(new Conv2d.Spec(4, 8, 3).padding(1), g), new ReLU(), new AvgPool2d(2),
                new Flatten(), new Linear(8 * 2 * 2, 4, g));
        // 8×8 images of sparse intensities in [0, 1]; the class is the brightest quadrant.
        Tensor train = Tensor.rand(g, 200, 1, 8, 8).pow(4);
        Tensor test = Tensor.rand(g, 100, 1, 8, 8).pow(4);
        train(model, train);
        model.eval();
        int[] ann = ConvertedNetwork.annPredictions(model, test);
        double learnt = ConvertedNetwork.accuracy(ann, brightestQuadrant(test));
        assertTrue(learnt >= 0.7, "the ANN learnt the task: " + learnt);

        ConvertedNetwork network = ConvertedNetwork.convert(model, train, ConvertedNetwork.DEFAULT_PERCENTILE);
        assertEquals(java.util.List.of("conv[4, 8, 8]", "maxpool-gate[4, 4, 4]", "conv[8, 4, 4]", "avgpool[8, 2, 2]",
                "dense[4]"), network.layerNames());
        double[] scales = network.scales();
        assertEquals(scales[0], scales[1], "the gate keeps its input's scale");
        // Multiply-adds counted by hand: a 3×3 kernel with padding 1 reads 3n − 2 taps per row of n,
        // so (3·8 − 2)² = 484 taps per 8×8 plane and (3·4 − 2)² = 100 per 4×4 one; the 2×2 average
        // pooling reads each of 16 inputs per channel once.
        assertEquals(484L * 1 * 4 + 100L * 4 * 8 + 16 * 8 + 32 * 4, network.annMacs());

        int[] steps = {16, 256};
        ConvertedNetwork.Run run = network.simulate(test, steps, InputCoding.CURRENT, 0);
        double early = ConvertedNetwork.accuracy(ann, run.predictions()[0]);
        double agreement = ConvertedNetwork.accuracy(ann, run.predictions()[1]);
        double spiking = ConvertedNetwork.accuracy(run.predictions()[1], brightestQuadrant(test));
        // Measured: ANN accuracy 0.75; agreement 0.88 at 16 steps and 0.92 at 256; spiking accuracy 0.79.
        assertTrue(agreement >= 0.9, "agreement with the ANN at 256 steps: " + agreement + " (16 steps: " + early + ")");
        assertTrue(spiking >= learnt - 0.05, "spiking accuracy " + spiking + " against the ANN's " + learnt);
        assertTrue(run.synapticEvents()[1] > run.synapticEvents()[0], "events accumulate");
        ConvertedNetwork.Run again = network.simulate(test, steps, InputCoding.CURRENT, 0);
        assertArrayEquals(run.synapticEvents(), again.synapticEvents(), "deterministic on any number of threads");
    }

    private static void train(Sequential model, Tensor inputs) {
        int[] labels = brightestQuadrant(inputs);
        float[] targets = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = labels[i];
        }
        Tensor y = Tensor.of(targets, labels.length).toLong();
        Adam adam = Adam.builder(model.parameters()).lr(2e-2).build();
        CrossEntropyLoss loss = new CrossEntropyLoss();
        model.train();
        for (int step = 0; step < 100; step++) {
            adam.zeroGrad();
            loss.forward(model.forward(inputs), y).backward();
            adam.step();
        }
    }

    /** The class of each image {@code [N, 1, 8, 8]}: which 4×4 quadrant has the largest sum. */
    private static int[] brightestQuadrant(Tensor images) {
        float[] x = images.toArray();
        int n = images.size(0);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double[] sums = new double[4];
            for (int p = 0; p < 64; p++) {
                sums[(p / 8 / 4) * 2 + (p % 8) / 4] += x[i * 64 + p];
            }
            int best = 0;
            for (int q = 1; q < 4; q++) {
                best = sums[q] > sums[best] ? q : best;
            }
            labels[i] = best;
        }
        return labels;
    }
}
