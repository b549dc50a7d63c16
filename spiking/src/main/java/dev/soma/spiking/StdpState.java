package dev.soma.spiking;

/**
 * The traces of one plastic projection and the index that finds the synapses onto each target
 * (compressed columns: {@code synapsesInto[columnStart[j] … columnStart[j + 1])} are the positions in
 * the projection's rows of the synapses onto target {@code j}), and each synapse's source: 8 bytes
 * more per synapse.
 */
final class StdpState {

    private final Stdp rule;
    private final SparseConnections connections;
    private final double[] preTrace;
    private final double[] postTrace;
    private final int[] columnStart;
    private final int[] synapsesInto;
    private final int[] sourceOf;
    private final double preDecay;
    private final double postDecay;

    StdpState(Stdp rule, SparseConnections connections, double dtMs) {
        this.rule = rule;
        this.connections = connections;
        connections.ownWeights(); // each synapse's weight changes on its own from now on: one float each
        this.preTrace = new double[connections.sources()];
        this.postTrace = new double[connections.targetCount()];
        this.preDecay = Math.exp(-dtMs / rule.tauPlusMs());
        this.postDecay = Math.exp(-dtMs / rule.tauMinusMs());
        int n = connections.synapses();
        this.columnStart = new int[connections.targetCount() + 1];
        this.sourceOf = new int[n];
        for (int i = 0; i < connections.sources(); i++) {
            for (int s = connections.rowStart[i]; s < connections.rowStart[i + 1]; s++) {
                columnStart[connections.targets[s] + 1]++;
                sourceOf[s] = i;
            }
        }
        for (int j = 0; j < connections.targetCount(); j++) {
            columnStart[j + 1] += columnStart[j];
        }
        this.synapsesInto = new int[n];
        int[] next = java.util.Arrays.copyOf(columnStart, connections.targetCount());
        for (int s = 0; s < n; s++) {
            synapsesInto[next[connections.targets[s]]++] = s;
        }
    }

    /** One step: the traces decay, the spikes of this step change the weights, then add to the traces. */
    void step(int[] pre, int preCount, int[] post, int postCount) {
        for (int i = 0; i < preTrace.length; i++) {
            preTrace[i] *= preDecay;
        }
        for (int j = 0; j < postTrace.length; j++) {
            postTrace[j] *= postDecay;
        }
        float[] w = connections.ownWeights();
        for (int k = 0; k < preCount; k++) {
            int i = pre[k];
            for (int s = connections.rowStart[i]; s < connections.rowStart[i + 1]; s++) {
                w[s] = clamp(w[s] + postTrace[connections.targets[s]]);
            }
        }
        for (int k = 0; k < postCount; k++) {
            int j = post[k];
            for (int c = columnStart[j]; c < columnStart[j + 1]; c++) {
                int s = synapsesInto[c];
                w[s] = clamp(w[s] + preTrace[sourceOf[s]]);
            }
        }
        for (int k = 0; k < preCount; k++) {
            preTrace[pre[k]] += rule.aPlus();
        }
        for (int k = 0; k < postCount; k++) {
            postTrace[post[k]] += rule.aMinus();
        }
    }

    private float clamp(double w) {
        return (float) Math.min(rule.maxWeight(), Math.max(0, w));
    }
}
