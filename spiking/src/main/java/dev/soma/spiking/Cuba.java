package dev.soma.spiking;

import dev.soma.tensor.Generator;

/**
 * The CUBA benchmark network (Vogels and Abbott 2005, as in Brian2's {@code examples/CUBA.py}):
 * LIF neurons ({@link Lif#CUBA}: τ_m 20 ms, E_l −49 mV, V_t −50 mV, V_r −60 mV, 5 ms refractory)
 * with current-based exponential synapses (τ_e 5 ms, τ_i 10 ms), 80% excitatory and 20% inhibitory,
 * every ordered pair connected with probability {@code p}, excitatory weight
 * {@code w_e = 60·0.27/10 = 1.62 mV}, inhibitory {@code w_i = −20·4.5/10 = −9 mV}, no delay.
 * Membranes start uniformly in {@code [V_r, V_t)}. The network sustains itself (E_l lies above
 * threshold), firing irregularly at about 5.7 Hz.
 *
 * <p>{@code p = 80/N} keeps each neuron's 80 inputs (on average) at any size: at N = 4000 it is
 * Brian2's 0.02. {@link #build(int, double, long)} chooses another number of inputs per neuron,
 * {@code p = min(1, inputs/N)}. The two groups are two populations and four projections (E→E, E→I, I→E, I→I),
 * which is the same random graph as Brian2's two projections from subgroups onto the whole.
 */
public final class Cuba {

    /** Brian2's example size. */
    public static final int NEURONS = 4000;
    /** Synapses received per neuron, on average. */
    public static final double INPUTS_PER_NEURON = 80;
    public static final double EXCITATORY_WEIGHT_MV = 60 * 0.27 / 10;
    public static final double INHIBITORY_WEIGHT_MV = -20 * 4.5 / 10;
    public static final double DT_MS = 0.1;

    private final Network network;
    private final Population excitatory;
    private final Population inhibitory;

    private Cuba(Network network, Population excitatory, Population inhibitory) {
        this.network = network;
        this.excitatory = excitatory;
        this.inhibitory = inhibitory;
    }

    /** The network of {@code neurons} (at least 5), its connections and initial potentials drawn from {@code seed}. */
    public static Cuba build(int neurons, long seed) {
        return build(neurons, INPUTS_PER_NEURON, seed);
    }

    /**
     * The network of {@code neurons} (at least 5) in which each neuron receives {@code inputsPerNeuron}
     * synapses on average ({@code p = min(1, inputsPerNeuron/neurons)}), drawn from {@code seed}.
     */
    public static Cuba build(int neurons, double inputsPerNeuron, long seed) {
        if (neurons < 5) {
            throw new IllegalArgumentException("the CUBA network needs at least 5 neurons, got " + neurons);
        }
        Check.positive("synapses per neuron", inputsPerNeuron, "");
        Generator g = new Generator(seed);
        int ne = (int) (neurons * 0.8);
        int ni = neurons - ne;
        double p = Math.min(1, inputsPerNeuron / neurons);
        Network network = new Network();
        Population exc = network.population("excitatory", ne, Lif.CUBA, ExponentialSynapses.CUBA);
        Population inh = network.population("inhibitory", ni, Lif.CUBA, ExponentialSynapses.CUBA);
        for (Population source : new Population[] {exc, inh}) {
            Receptor receptor = source == exc ? Receptor.EXCITATORY : Receptor.INHIBITORY;
            double weight = source == exc ? EXCITATORY_WEIGHT_MV : INHIBITORY_WEIGHT_MV;
            for (Population target : new Population[] {exc, inh}) {
                network.connect(source, target, receptor,
                        SparseConnections.fixedProbability(source.size(), target.size(), p, weight, g), 0);
            }
        }
        for (Population population : new Population[] {exc, inh}) {
            Network.randomizeMembrane(population, Lif.CUBA.resetMv(), Lif.CUBA.thresholdMv(), g);
        }
        return new Cuba(network, exc, inh);
    }

    public Network network() {
        return network;
    }

    public Population excitatory() {
        return excitatory;
    }

    public Population inhibitory() {
        return inhibitory;
    }
}
