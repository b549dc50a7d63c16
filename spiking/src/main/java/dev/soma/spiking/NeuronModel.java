package dev.soma.spiking;

/** A neuron model's parameters; it builds a {@link Population} of such neurons. */
public sealed interface NeuronModel permits Lif, ConductanceLif, Izhikevich, AdEx {

    /** A population of {@code size} such neurons, at their resting state. */
    Population population(String name, int size, ExponentialSynapses synapses);

    /** One line for people: the model and its parameters. */
    String describe();
}
