package dev.soma.spiking;

/**
 * Synapses from one population to another: sparse connections with their weights, the receptor they
 * act on, and one axonal delay for the whole projection (in ms; rounded to whole steps by the
 * simulator, so that it costs no storage per synapse).
 */
public record Projection(Population source, Population target, Receptor receptor, SparseConnections connections,
        double delayMs) {

    public Projection {
        if (connections.sources() != source.size() || connections.targetCount() != target.size()) {
            throw new IllegalArgumentException("connections are " + connections.sources() + " → " + connections.targetCount()
                    + " but the populations have " + source.size() + " and " + target.size() + " neurons");
        }
        Check.nonNegative("delay", delayMs, "ms");
    }
}
