package dev.soma.spiking;

import dev.soma.tensor.kernel.Workers;
import java.util.Arrays;

/**
 * A group of neurons of one model, as arrays of state: the membrane potential, each receptor's
 * synaptic input, and a constant input current per neuron (bias, step currents). The arrays are
 * this population's own and are modified by the simulator; {@link #membrane()} and
 * {@link #current()} hand them out so that callers can set initial values and currents.
 *
 * <p>One step of a simulation calls {@link #integrate} (advance every neuron by {@code dt}, the
 * synaptic inputs decaying), then {@link #fire} (threshold, reset), then the simulator adds the
 * arriving spikes' weights to the synaptic inputs.
 */
public abstract sealed class Population permits LifPopulation, IzhikevichPopulation, AdExPopulation {

    private final String name;
    private final NeuronModel model;
    private final ExponentialSynapses synapses;
    final int size;
    final double[] v;
    final double[] excitatory;
    final double[] inhibitory;
    final double[] current;
    /** {@code e^(−dt/τ)} of each receptor, set by {@link #prepare}. */
    double excitatoryDecay;
    double inhibitoryDecay;

    Population(String name, int size, NeuronModel model, ExponentialSynapses synapses, double initialMv) {
        if (size < 1) {
            throw new IllegalArgumentException("a population needs at least one neuron, got " + size);
        }
        this.name = name;
        this.size = size;
        this.model = model;
        this.synapses = synapses;
        this.v = new double[size];
        Arrays.fill(v, initialMv);
        this.excitatory = new double[size];
        this.inhibitory = new double[size];
        this.current = new double[size];
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    public NeuronModel model() {
        return model;
    }

    public ExponentialSynapses synapses() {
        return synapses;
    }

    /** The membrane potentials, mV (this population's array: writes set the state). */
    public double[] membrane() {
        return v;
    }

    /** The constant input current of each neuron, in the model's current unit (the live array). */
    public double[] current() {
        return current;
    }

    /** Each neuron's synaptic input at {@code receptor} (the live array). */
    public double[] synapticInput(Receptor receptor) {
        return receptor == Receptor.EXCITATORY ? excitatory : inhibitory;
    }

    /** Sets every neuron's input current to {@code value}. */
    public void setCurrent(double value) {
        Arrays.fill(current, value);
    }

    /** Computes the per-step constants for a step of {@code dtMs}: the synapses' decays, then the model's own. */
    final void prepare(double dtMs) {
        Check.timeStep(dtMs);
        excitatoryDecay = Math.exp(-dtMs / synapses.tauExcitatoryMs());
        inhibitoryDecay = Math.exp(-dtMs / synapses.tauInhibitoryMs());
        prepareModel(dtMs);
    }

    /** The model's per-step constants (propagators, refractory steps) for a step of {@code dtMs}. */
    abstract void prepareModel(double dtMs);

    /** Advances every neuron by one step of the {@code dt} given to {@link #prepare}. */
    abstract void integrate();

    /**
     * Finds the neurons past threshold, resets them, and writes their indices into {@code spikes}
     * (at least {@link #size()} long) in increasing order.
     *
     * @return how many fired
     */
    abstract int fire(int[] spikes);

    /**
     * {@link #integrate} then {@link #fire}: one step of every neuron. Populations that split a step
     * over {@code workers} override this; the result must not depend on how many threads they have.
     */
    int step(int[] spikes, Workers workers) {
        integrate();
        return fire(spikes);
    }

    /** Decays both synaptic inputs by one step: {@code g ← g·e^(−dt/τ)}. */
    final void decaySynapses() {
        for (int i = 0; i < size; i++) {
            excitatory[i] *= excitatoryDecay;
            inhibitory[i] *= inhibitoryDecay;
        }
    }

    @Override
    public String toString() {
        return name + " (" + size + " × " + model.describe() + ")";
    }
}
