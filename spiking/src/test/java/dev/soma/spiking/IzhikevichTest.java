package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The four presets under I = 10 for 500 ms (Izhikevich 2003, Fig. 2): the shape of each spike train,
 * read from the intervals, not only how many spikes there are.
 */
class IzhikevichTest {

    private static StepResponse run(String preset) {
        return StepResponse.simulate(Izhikevich.preset(preset), 10, 0, 500, 500, 0.05);
    }

    @Test
    void regularSpikingAdaptsThenFiresLikeAClock() {
        double[] isi = run("rs").interSpikeIntervalsMs();
        assertTrue(isi.length >= 8, "fires steadily: " + isi.length + " intervals");
        assertTrue(isi[0] < 0.7 * isi[isi.length - 1], "first interval shorter (adaptation): " + Arrays.toString(isi));
        double[] steady = Arrays.copyOfRange(isi, 2, isi.length);
        assertTrue(cv(steady) < 0.02, "steady intervals regular: " + Arrays.toString(steady));
        assertTrue(mean(steady) > 25 && mean(steady) < 80, "a few tens of hertz: " + mean(steady) + " ms");
    }

    @Test
    void fastSpikingFiresFasterThanRegularSpikingAndBarelyAdapts() {
        double[] fast = run("fs").interSpikeIntervalsMs();
        double[] regular = run("rs").interSpikeIntervalsMs();
        assertTrue(fast.length > 3 * regular.length, fast.length + " vs " + regular.length + " intervals");
        double[] steady = Arrays.copyOfRange(fast, 3, fast.length);
        assertTrue(cv(steady) < 0.02, "regular: " + Arrays.toString(steady));
        assertTrue(mean(steady) < 10, "above 100 Hz: " + mean(steady) + " ms");
    }

    @Test
    void intrinsicallyBurstingBurstsFirstThenFiresSingleSpikes() {
        double[] isi = run("ib").interSpikeIntervalsMs();
        assertTrue(isi[0] < 5, "the first two spikes are a burst: " + Arrays.toString(isi));
        for (int k = 1; k < isi.length; k++) {
            assertTrue(isi[k] > 20, "then single spikes, interval " + k + ": " + Arrays.toString(isi));
        }
        assertTrue(cv(Arrays.copyOfRange(isi, 2, isi.length)) < 0.02, "tonic after the burst: " + Arrays.toString(isi));
    }

    @Test
    void chatteringRepeatsBurstsOfCloselySpacedSpikes() {
        double[] isi = run("ch").interSpikeIntervalsMs();
        int longGaps = 0;
        int shortRun = 0;
        int shortest = Integer.MAX_VALUE;
        for (double interval : isi) {
            if (interval > 30) {
                longGaps++;
                shortest = Math.min(shortest, shortRun);
                shortRun = 0;
            } else {
                assertTrue(interval < 10, "within a burst, intervals are short: " + Arrays.toString(isi));
                shortRun++;
            }
        }
        assertTrue(longGaps >= 5, "repeated bursts: " + Arrays.toString(isi));
        assertTrue(shortest >= 2, "each burst has three spikes or more: " + Arrays.toString(isi));
    }

    @Test
    void presetsHaveThePapersParameters() {
        assertEquals(new Izhikevich(0.02, 0.2, -65, 8), Izhikevich.preset("RS"));
        assertEquals(new Izhikevich(0.1, 0.2, -65, 2), Izhikevich.preset("fs"));
        assertEquals(new Izhikevich(0.02, 0.2, -55, 4), Izhikevich.preset("ib"));
        assertEquals(new Izhikevich(0.02, 0.2, -50, 2), Izhikevich.preset("ch"));
        var unknown = assertThrows(IllegalArgumentException.class, () -> Izhikevich.preset("xx"));
        assertEquals("unknown Izhikevich preset 'xx' (expected rs, fs, ib or ch)", unknown.getMessage());
    }

    static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElseThrow();
    }

    static double cv(double[] xs) {
        double mean = mean(xs);
        double squares = 0;
        for (double x : xs) {
            squares += (x - mean) * (x - mean);
        }
        return Math.sqrt(squares / xs.length) / mean;
    }
}
