package dev.soma.spiking;

/**
 * Synapses from one population to another: sparse connections with their weights, the receptor they
 * act on, and the axonal delay (ms): one for the whole projection, {@code delayMs}, which costs no
 * storage per synapse, or one per synapse carried by the connections
 * ({@link SparseConnections#withDelays}; {@code delayMs} is then 0). The clock-driven simulator
 * rounds delays to whole steps; the event-driven one uses them as they are.
 */
public record Projection(Population source, Population target, Receptor receptor, SparseConnections connections,
        double delayMs) {

    public Projection {
        if (connections.sources() != source.size() || connections.targetCount() != target.size()) {
            throw new IllegalArgumentException("connections are " + connections.sources() + " → " + connections.targetCount()
                    + " but the populations have " + source.size() + " and " + target.size() + " neurons");
        }
        Check.nonNegative("delay", delayMs, "ms");
        if (connections.hasDelays() && delayMs != 0) {
            throw new IllegalArgumentException("the connections carry a delay per synapse; give the projection a delay of 0, not "
                    + delayMs + " ms");
        }
    }
}
