package dev.soma.spiking;

/**
 * Where a synapse adds its weight on the target neuron: each neuron has one decaying synaptic
 * variable per receptor, with the time constant its population's {@link ExponentialSynapses} give
 * that receptor. The sign of the effect is the weight's own (an inhibitory weight is negative).
 */
public enum Receptor {
    EXCITATORY,
    INHIBITORY
}
