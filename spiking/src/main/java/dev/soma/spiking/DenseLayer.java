package dev.soma.spiking;

import dev.soma.tensor.Tensor;

/**
 * A converted {@code Linear} layer, {@code [in] → [out]}: the weights {@code W·λₗ₋₁/λₗ} stored
 * transposed, {@code [in][out]}, so one presynaptic spike adds one contiguous row.
 */
final class DenseLayer extends NeuronLayer {

    private final float[][] outgoing;
    private final Tensor weightT;
    private final Tensor biasTensor;

    /** {@code weight} {@code [out, in]}, {@code bias} {@code [out]} (may be null), both not modified. */
    DenseLayer(Tensor weight, Tensor bias, float weightFactor, float biasFactor) {
        super(ConversionPlan.scaled(bias, weight.size(0), biasFactor));
        int out = weight.size(0);
        int in = weight.size(1);
        float[] w = weight.toArray();
        float[][] rows = new float[in][out];
        float[] flat = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                rows[i][o] = w[o * in + i] * weightFactor;
                flat[i * out + o] = rows[i][o];
            }
        }
        this.outgoing = rows;
        this.weightT = Tensor.of(flat, in, out);
        this.biasTensor = Tensor.of(ConversionPlan.scaled(bias, out, biasFactor), out);
    }

    @Override
    public int inputs() {
        return outgoing.length;
    }

    @Override
    public long annMacs() {
        return (long) inputs() * outputs();
    }

    @Override
    public long fanOut(int unit) {
        return outputs();
    }

    @Override
    void integrate(int unit, float[] potentials) {
        float[] row = outgoing[unit];
        for (int j = 0; j < potentials.length; j++) {
            potentials[j] += row[j];
        }
    }

    @Override
    Tensor current(Tensor inputs) {
        return inputs.reshape(inputs.size(0), inputs()).matmul(weightT).add(biasTensor);
    }
}
