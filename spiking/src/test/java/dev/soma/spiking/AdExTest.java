package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Naud et al. (2008) presets: the firing patterns their names promise. */
class AdExTest {

    @Test
    void tonicFiresRegularlyAtAboutAHundredHertz() {
        double[] isi = StepResponse.simulate(AdEx.TONIC, 500, 0, 500, 500, 0.01).interSpikeIntervalsMs();
        double[] steady = Arrays.copyOfRange(isi, 10, isi.length);
        assertTrue(IzhikevichTest.cv(steady) < 0.01, Arrays.toString(steady));
        assertTrue(isi[0] <= steady[0] && isi[0] > 0.85 * steady[0], "little adaptation: " + Arrays.toString(isi));
        double rate = 1000 / IzhikevichTest.mean(steady);
        assertTrue(rate > 90 && rate < 120, "rate " + rate);
    }

    @Test
    void adaptingLengthensItsIntervalsToASteadyRate() {
        double[] isi = StepResponse.simulate(AdEx.ADAPTING, 500, 0, 1000, 1000, 0.01).interSpikeIntervalsMs();
        for (int k = 1; k < 6; k++) {
            assertTrue(isi[k] > isi[k - 1], "lengthening: " + Arrays.toString(isi));
        }
        assertTrue(isi[isi.length - 1] > 4 * isi[0], Arrays.toString(isi));
        assertEquals(isi[isi.length - 2], isi[isi.length - 1], 0.02 * isi[isi.length - 1], "steady at the end");
    }

    @Test
    void belowRheobaseItSettlesWithoutFiring() {
        // The tonic cell's rheobase is about g_L·(V_T − E_L − Δ_T) = 10·18 = 180 pA, lower with the exponential term.
        StepResponse response = StepResponse.simulate(AdEx.TONIC, 100, 0, 500, 500, 0.01);
        assertEquals(0, response.spikeTimesMs().length);
        float[] v = response.membraneMv();
        assertTrue(v[v.length - 1] > -70 && v[v.length - 1] < -55, "depolarised: " + v[v.length - 1]);
    }

    @Test
    void badParametersAreRejected() {
        var reset = assertThrows(IllegalArgumentException.class,
                () -> new AdEx(200, 10, -70, 2, -50, 30, 2, 0, -30));
        assertEquals("reset V_r (-30.0 mV) must be below the spike peak V_T + 5Δ_T (-40.0 mV)", reset.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdEx(-1, 10, -70, 2, -50, 30, 2, 0, -58));
        assertThrows(IllegalArgumentException.class, () -> AdEx.preset("nope"));
    }
}
