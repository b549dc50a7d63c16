package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import org.junit.jupiter.api.Test;

class EncodersTest {

    @Test
    void rateCodingSpikesWithTheIntensityAsProbability() {
        float[] intensities = {0, 0.05f, 0.3f, 0.5f, 0.9f, 1};
        int steps = 10_000;
        float[][] train = Encoders.poissonTrain(intensities, steps, new Generator(7));
        for (int i = 0; i < intensities.length; i++) {
            int count = 0;
            for (float[] step : train) {
                count += (int) step[i];
            }
            // Binomial(T, x): mean T·x, standard deviation √(T·x(1 − x)); 5 deviations fail once in ~3.5 million.
            double mean = steps * intensities[i];
            double sd = Math.sqrt(steps * intensities[i] * (1.0 - intensities[i]));
            assertEquals(mean, count, 5 * sd + 1e-9, "intensity " + intensities[i]);
        }
    }

    @Test
    void rateCodingIsDeterminedByTheSeed() {
        float[] intensities = {0.2f, 0.4f, 0.6f, 0.8f};
        float[][] a = Encoders.poissonTrain(intensities, 50, new Generator(3));
        float[][] b = Encoders.poissonTrain(intensities, 50, new Generator(3));
        float[][] c = Encoders.poissonTrain(intensities, 50, new Generator(4));
        for (int t = 0; t < 50; t++) {
            assertArrayEquals(a[t], b[t]);
        }
        boolean differs = false;
        for (int t = 0; t < 50; t++) {
            differs |= !java.util.Arrays.equals(a[t], c[t]);
        }
        assertTrue(differs, "another seed gives other spikes");
    }

    @Test
    void brighterInputsSpikeEarlier() {
        float[] intensities = new float[101];
        for (int i = 0; i < intensities.length; i++) {
            intensities[i] = i / 100f;
        }
        int[] first = Encoders.latency(intensities, 11);
        assertEquals(Encoders.NEVER, first[0], "a dark pixel never spikes");
        assertEquals(0, first[100], "a full pixel spikes at once");
        assertEquals(5, first[50], "(1 − 0.5)·10");
        assertEquals(9, first[10], "round(0.9·10)");
        for (int i = 2; i < intensities.length; i++) {
            assertTrue(first[i] <= first[i - 1], "monotonic at " + i);
        }
        assertArrayEquals(new int[] {0, Encoders.NEVER}, Encoders.latency(new float[] {7, -3}, 4), "clamped to [0, 1]");
    }

    @Test
    void decodersPickTheMostAndTheFirstSpikes() {
        assertEquals(2, Decoders.spikeCount(new int[] {1, 3, 4, 0}));
        assertEquals(1, Decoders.spikeCount(new int[] {1, 4, 4, 0}), "ties go to the lower index");
        assertEquals(2, Decoders.spikeCount(new int[] {1, 4, 4, 0}, new float[] {0, 0.2f, 0.7f, 0}), "unless broken");
        assertEquals(3, Decoders.firstSpike(new int[] {Encoders.NEVER, 9, 4, 2}));
        assertEquals(Encoders.NEVER, Decoders.firstSpike(new int[] {Encoders.NEVER, Encoders.NEVER}));
        // Latency coding read back by first spike gives the brightest input.
        assertEquals(2, Decoders.firstSpike(Encoders.latency(new float[] {0.1f, 0.5f, 0.8f, 0}, 16)));
        assertThrows(IllegalArgumentException.class, () -> Encoders.latency(new float[1], 0));
    }
}
