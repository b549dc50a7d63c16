/**
 * Real neurons: spiking neuron models, networks of them, and a simulator.
 *
 * <p>Units throughout: time in milliseconds, membrane potential in millivolts, rates in hertz. Each
 * model says what its input current means: for {@link dev.soma.spiking.Lif} it is the membrane
 * resistance times the current, in millivolts (the potential it would settle at above rest); for
 * {@link dev.soma.spiking.Izhikevich} the dimensionless {@code I} of Izhikevich's equations; for
 * {@link dev.soma.spiking.AdEx} picoamperes.
 *
 * <ul>
 *   <li>Models (parameters, presets and closed forms): {@link dev.soma.spiking.Lif},
 *       {@link dev.soma.spiking.ConductanceLif},
 *       {@link dev.soma.spiking.Izhikevich}, {@link dev.soma.spiking.AdEx}; synaptic inputs decay
 *       exponentially ({@link dev.soma.spiking.ExponentialSynapses}).
 *   <li>Networks: {@link dev.soma.spiking.Network} holds {@link dev.soma.spiking.Population}s,
 *       {@link dev.soma.spiking.Projection}s (sparse connections in compressed rows,
 *       {@link dev.soma.spiking.SparseConnections}, one weight stored once when all share it,
 *       a delay per projection or per synapse) and inputs.
 *   <li>Simulation: {@link dev.soma.spiking.ClockDrivenSimulator} advances a network in fixed steps
 *       and feeds the {@link dev.soma.spiking.SpikeRecorder} and
 *       {@link dev.soma.spiking.MembraneRecorder}; {@link dev.soma.spiking.Recording} saves them as JSON;
 *       {@link dev.soma.spiking.EventDrivenSimulator} advances a LIF network from event to event,
 *       with exact spike times and delays: the reference the clock-driven spike times converge to
 *       (other models have no closed form between events and are refused by name). Large LIF
 *       populations step in fixed parts on core's threads, the same spikes on any number of them.
 *   <li>Plasticity: {@link dev.soma.spiking.Stdp}, pair-based STDP with traces, on a
 *       clock-driven projection ({@link dev.soma.spiking.ClockDrivenSimulator#stdp}).
 *   <li>Coding: {@link dev.soma.spiking.Encoders} (rate, latency; constant current) and
 *       {@link dev.soma.spiking.Decoders} (spike count, first spike).
 *   <li>Conversion: {@link dev.soma.spiking.ConvertedNetwork} runs a trained ReLU MLP or CNN as
 *       integrate-and-fire neurons (Rueckauer et al. 2017), from a
 *       {@link dev.soma.spiking.ConversionPlan} (BatchNorm folded; max-pooling as a spike gate).
 * </ul>
 */
package dev.soma.spiking;
