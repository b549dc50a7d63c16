package dev.soma.spiking;

import dev.soma.tensor.Generator;
import java.util.ArrayList;
import java.util.List;

/**
 * Advances a {@link Network} in fixed steps of {@code dt}. One step, from {@code t} to {@code t + dt}:
 *
 * <ol>
 *   <li>inputs act (step currents switch, Poisson spikes add to synaptic inputs);
 *   <li>every population integrates (exactly for LIF; see each population);
 *   <li>neurons past threshold fire and reset; the spike recorder notes them at {@code t + dt};
 *   <li>each spike adds its synapses' weights to the targets' synaptic inputs: directly when the
 *       projection's delay is 0 (so they act from the next step, as in Brian2), otherwise into a
 *       ring buffer of inputs, one slot per step of delay, emptied into the synaptic inputs when
 *       its step comes;
 *   <li>plastic projections change their weights ({@link Stdp});
 *   <li>membrane recorders sample.
 * </ol>
 *
 * <p>Deterministic: the same network (built from the same seed) and the same generator give the
 * same spikes, bit for bit. Not thread-safe.
 */
public final class ClockDrivenSimulator {

    private final Network network;
    private final double dtMs;
    private final Generator generator;
    private final List<Population> populations;
    private final int[] offsets;
    private final int[][] spikes;
    private final int[] spikeCounts;
    private final Delivery[] deliveries;
    /** Per population and receptor (2p + receptor), the ring of delayed inputs, or null when none is delayed. */
    private final double[][][] rings;
    private final SpikeRecorder spikeRecorder;
    private final List<MembraneRecorder> membraneRecorders = new ArrayList<>();
    private final List<Plastic> plastic = new ArrayList<>();
    private long step;

    private record Plastic(int source, int target, StdpState state) {
    }

    private record Delivery(int source, int targetSlot, SparseConnections connections, int delaySteps) {
    }

    /** A simulator of {@code network} with steps of {@code dtMs}, drawing input randomness from {@code generator}. */
    public ClockDrivenSimulator(Network network, double dtMs, Generator generator) {
        Check.timeStep(dtMs);
        this.network = network;
        this.dtMs = dtMs;
        this.generator = generator;
        this.populations = network.populations();
        int p = populations.size();
        this.offsets = new int[p];
        this.spikes = new int[p][];
        this.spikeCounts = new int[p];
        for (int i = 0; i < p; i++) {
            Population population = populations.get(i);
            population.prepare(dtMs);
            offsets[i] = network.offset(population);
            spikes[i] = new int[population.size()];
        }
        List<Projection> projections = network.projections();
        this.deliveries = new Delivery[projections.size()];
        int[] maxDelay = new int[2 * p];
        for (int k = 0; k < deliveries.length; k++) {
            Projection projection = projections.get(k);
            int delay = (int) Math.round(projection.delayMs() / dtMs);
            int slot = 2 * populations.indexOf(projection.target()) + projection.receptor().ordinal();
            deliveries[k] = new Delivery(populations.indexOf(projection.source()), slot, projection.connections(), delay);
            maxDelay[slot] = Math.max(maxDelay[slot], delay);
        }
        this.rings = new double[2 * p][][];
        for (int slot = 0; slot < 2 * p; slot++) {
            if (maxDelay[slot] > 0) {
                rings[slot] = new double[maxDelay[slot] + 1][populations.get(slot / 2).size()];
            }
        }
        this.spikeRecorder = new SpikeRecorder(dtMs, network.neurons());
    }

    /** The recorder of every spike. */
    public SpikeRecorder spikes() {
        return spikeRecorder;
    }

    /** Starts recording the membrane potential of {@code neurons} of {@code population} after each step. */
    public MembraneRecorder recordMembrane(Population population, int... neurons) {
        if (!populations.contains(population)) {
            throw new IllegalArgumentException("population " + population.name() + " is not in this network");
        }
        MembraneRecorder recorder = new MembraneRecorder(population, neurons, dtMs);
        membraneRecorders.add(recorder);
        return recorder;
    }

    /**
     * Makes {@code projection}'s weights change by {@code rule} from now on: after each step's
     * spikes are delivered, they change the weights for the next (see {@link Stdp}).
     */
    public void stdp(Projection projection, Stdp rule) {
        if (!network.projections().contains(projection)) {
            throw new IllegalArgumentException("the projection is not in this network");
        }
        plastic.add(new Plastic(populations.indexOf(projection.source()), populations.indexOf(projection.target()),
                new StdpState(rule, projection.connections(), dtMs)));
    }

    public double dtMs() {
        return dtMs;
    }

    /** The simulated time so far, ms. */
    public double timeMs() {
        return step * dtMs;
    }

    /** Simulates {@code durationMs} more (rounded to whole steps). */
    public void run(double durationMs) {
        Check.nonNegative("duration", durationMs, "ms");
        long steps = Math.round(durationMs / dtMs);
        for (long k = 0; k < steps; k++) {
            step();
        }
    }

    /** One step of {@code dt}. */
    public void step() {
        for (Input input : network.inputs()) {
            input.apply(step, dtMs, generator);
        }
        for (int p = 0; p < populations.size(); p++) {
            Population population = populations.get(p);
            population.integrate();
            spikeCounts[p] = population.fire(spikes[p]);
            spikeRecorder.record(step, offsets[p], spikes[p], spikeCounts[p]);
        }
        for (Delivery delivery : deliveries) {
            int fired = spikeCounts[delivery.source];
            if (fired == 0) {
                continue;
            }
            double[] destination = destination(delivery);
            int[] sources = spikes[delivery.source];
            for (int k = 0; k < fired; k++) {
                delivery.connections.deliver(sources[k], destination);
            }
        }
        for (int slot = 0; slot < rings.length; slot++) {
            if (rings[slot] != null) {
                double[] arriving = rings[slot][(int) (step % rings[slot].length)];
                double[] input = populations.get(slot / 2).synapticInput(Receptor.values()[slot % 2]);
                for (int i = 0; i < arriving.length; i++) {
                    input[i] += arriving[i];
                    arriving[i] = 0;
                }
            }
        }
        for (Plastic p : plastic) {
            p.state.step(spikes[p.source], spikeCounts[p.source], spikes[p.target], spikeCounts[p.target]);
        }
        for (MembraneRecorder recorder : membraneRecorders) {
            recorder.sample();
        }
        step++;
    }

    private double[] destination(Delivery delivery) {
        if (delivery.delaySteps == 0) {
            return populations.get(delivery.targetSlot / 2).synapticInput(Receptor.values()[delivery.targetSlot % 2]);
        }
        double[][] ring = rings[delivery.targetSlot];
        return ring[(int) ((step + delivery.delaySteps) % ring.length)];
    }
}
