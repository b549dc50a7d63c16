package dev.soma.spiking;

import java.util.Locale;
import java.util.Map;

/**
 * The adaptive exponential integrate-and-fire neuron (Brette and Gerstner 2005):
 *
 * <pre>
 *   C·dV/dt = −g_L(V − E_L) + g_L·Δ_T·exp((V − V_T)/Δ_T) − w + I
 *   τ_w·dw/dt = a(V − E_L) − w
 *   if V > V_peak:  V ← V_r,  w ← w + b
 * </pre>
 *
 * <p>Units: C in pF, conductances in nS, potentials in mV, currents in pA, time in ms (pA/pF is
 * mV/ms). The exponential term has no closed form; the population integrates with forward Euler at
 * the simulator's step. {@code V_peak} is {@code V_T + 5Δ_T}, as in Brian2's AdEx example. The
 * presets are from Naud, Marcille, Clopath and Gerstner (2008), Table 1, which drive them with
 * {@code I} = 500 pA (tonic, adapting) or 400 pA (initial burst) in their figure.
 *
 * @param capacitancePf membrane capacitance C, pF (> 0)
 * @param leakNs leak conductance g_L, nS (> 0)
 * @param restMv leak reversal E_L, mV
 * @param slopeMv slope factor Δ_T, mV (> 0)
 * @param thresholdMv rheobase threshold V_T, mV
 * @param tauAdaptationMs adaptation time constant τ_w, ms (> 0)
 * @param subthresholdAdaptationNs a, nS
 * @param spikeAdaptationPa b, pA
 * @param resetMv reset V_r, mV (below V_peak)
 */
public record AdEx(double capacitancePf, double leakNs, double restMv, double slopeMv, double thresholdMv,
        double tauAdaptationMs, double subthresholdAdaptationNs, double spikeAdaptationPa, double resetMv)
        implements NeuronModel {

    /** Tonic spiking (Naud et al. 2008): regular firing without adaptation of the rate. */
    public static final AdEx TONIC = new AdEx(200, 10, -70, 2, -50, 30, 2, 0, -58);
    /** Adapting (Naud et al. 2008): intervals lengthen to a steady rate. */
    public static final AdEx ADAPTING = new AdEx(200, 12, -70, 2, -50, 300, 2, 60, -58);
    /** Initial burst (Naud et al. 2008). */
    public static final AdEx INITIAL_BURST = new AdEx(130, 18, -58, 2, -50, 150, 4, 120, -50);

    /** The presets by name. */
    public static final Map<String, AdEx> PRESETS = Map.of("tonic", TONIC, "adapting", ADAPTING, "burst", INITIAL_BURST);

    public AdEx {
        Check.positive("capacitance C", capacitancePf, "pF");
        Check.positive("leak conductance g_L", leakNs, "nS");
        Check.finite("leak reversal E_L", restMv, "mV");
        Check.positive("slope factor Δ_T", slopeMv, "mV");
        Check.finite("threshold V_T", thresholdMv, "mV");
        Check.positive("adaptation time constant τ_w", tauAdaptationMs, "ms");
        Check.finite("a", subthresholdAdaptationNs, "nS");
        Check.finite("b", spikeAdaptationPa, "pA");
        Check.finite("reset V_r", resetMv, "mV");
        if (!(resetMv < thresholdMv + 5 * slopeMv)) {
            throw new IllegalArgumentException("reset V_r (" + resetMv + " mV) must be below the spike peak V_T + 5Δ_T ("
                    + (thresholdMv + 5 * slopeMv) + " mV)");
        }
    }

    /** The spike cut-off {@code V_T + 5Δ_T}, mV. */
    public double peakMv() {
        return thresholdMv + 5 * slopeMv;
    }

    /** The preset called {@code name} (tonic, adapting, burst; any case). */
    public static AdEx preset(String name) {
        AdEx preset = PRESETS.get(name.toLowerCase(Locale.ROOT));
        if (preset == null) {
            throw new IllegalArgumentException("unknown AdEx preset '" + name + "' (expected tonic, adapting or burst)");
        }
        return preset;
    }

    @Override
    public String describe() {
        return "AdEx (C " + capacitancePf + " pF, g_L " + leakNs + " nS, E_L " + restMv + " mV, Δ_T " + slopeMv
                + " mV, V_T " + thresholdMv + " mV, τ_w " + tauAdaptationMs + " ms, a " + subthresholdAdaptationNs
                + " nS, b " + spikeAdaptationPa + " pA, V_r " + resetMv + " mV)";
    }

    @Override
    public Population population(String name, int size, ExponentialSynapses synapses) {
        return new AdExPopulation(name, size, this, synapses);
    }
}
