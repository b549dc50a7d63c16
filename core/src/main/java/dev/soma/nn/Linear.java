package dev.soma.nn;

import dev.soma.tensor.Fused;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;

/**
 * A fully connected layer: {@code y = x·Wᵀ + b}, as PyTorch's {@code nn.Linear}.
 *
 * <p>Shapes: input {@code [*, in]} → output {@code [*, out]}; weight {@code [out, in]}, bias
 * {@code [out]}. Row k of the weight holds the incoming weights of neuron k, so output k is
 * {@code Σⱼ W[k, j]·x[j] + b[k]}, the lesson's neuron before its non-linearity.
 *
 * <p>Initialisation (PyTorch's default): weight and bias from {@code U(-√k, √k)}, {@code k = 1/in}
 * (for the weight this is Kaiming-uniform with {@code a = √5}).
 */
public class Linear extends Module {

    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer with bias, initialised from the global generator. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Generator.global());
    }

    /** A layer initialised from {@code generator}; without bias when {@code bias} is false. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator generator) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: features must be ≥ 0, got in " + inFeatures
                    + ", out " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        resetParameters(generator);
    }

    /** Draws fresh weights and bias from {@code U(-1/√in, 1/√in)}. */
    public void resetParameters(Generator generator) {
        float bound = inFeatures > 0 ? (float) (1 / Math.sqrt(inFeatures)) : 0;
        Init.uniform(weight, -bound, bound, generator);
        if (bias != null) {
            Init.uniform(bias, -bound, bound, generator);
        }
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear(in_features=" + inFeatures + ", out_features=" + outFeatures
                    + "): input of shape " + java.util.Arrays.toString(input.shape()) + " needs " + inFeatures
                    + " features in its last dimension");
        }
        return Fused.linear(input, weight, bias); // x·Wᵀ + b as one op, forward and backward
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
