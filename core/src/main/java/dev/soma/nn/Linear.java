package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Ops;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fully connected layer: {@code y = x·Wᵀ + b}, as PyTorch's {@code nn.Linear}.
 *
 * <p>Shapes: input {@code [*, in]} → output {@code [*, out]}; weight {@code [out, in]}, bias
 * {@code [out]}. Row k of the weight holds the incoming weights of neuron k, so output k is
 * {@code Σⱼ W[k, j]·x[j] + b[k]}, the lesson's neuron before its non-linearity.
 *
 * <p>Initialisation (PyTorch's default): weight and bias from {@code U(-√k, √k)}, {@code k = 1/in}
 * (for the weight this is Kaiming-uniform with {@code a = √5}).
 *
 * <p>{@code new Linear(784, 256, generator)} is PyTorch's {@code nn.Linear(784, 256)}; the keyword
 * arguments go through the spec: {@code new Linear.Spec(784, 256).bias(false).build(generator)} is
 * {@code nn.Linear(784, 256, bias=False)}.
 */
public class Linear extends Module {

    /**
     * A linear layer's hyperparameters, PyTorch's constructor arguments: {@code [*, in_features] →
     * [*, out_features]}, with or without {@code bias} (default true).
     */
    public record Spec(int inFeatures, int outFeatures, boolean bias) implements LayerSpec {
        public Spec {
            SpecChecks.positive("in_features", inFeatures);
            SpecChecks.positive("out_features", outFeatures);
        }

        /** With bias, as PyTorch's default. */
        public Spec(int inFeatures, int outFeatures) {
            this(inFeatures, outFeatures, true);
        }

        /** This spec with or without bias. */
        public Spec bias(boolean bias) {
            return new Spec(inFeatures, outFeatures, bias);
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.integer("in_features"), args.integer("out_features"), args.bool("bias", true));
        }

        @Override
        public String type() {
            return "linear";
        }

        @Override
        public long stateElements() {
            return (long) outFeatures * inFeatures + (bias ? outFeatures : 0);
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("in_features", inFeatures);
            args.put("out_features", outFeatures);
            args.put("bias", bias);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            int last = input[input.length - 1];
            if (last != inFeatures) {
                String hint = "";
                if (input.length > 1) {
                    hint = " (the last dimension of " + Shape.format(input) + ")"
                            + (Shape.numel(input) == inFeatures ? "; a flatten layer before it would give " + inFeatures : "");
                }
                throw new IllegalArgumentException("expects " + inFeatures + " input features, " + given + " " + last + hint);
            }
            int[] out = input.clone();
            out[out.length - 1] = outFeatures;
            return out;
        }

        @Override
        public Linear build(Generator generator) {
            return new Linear(this, generator);
        }
    }

    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer with bias, initialised from the global generator. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, Generator.global());
    }

    /** A layer with bias, initialised from {@code generator}. */
    public Linear(int inFeatures, int outFeatures, Generator generator) {
        this(inFeatures, outFeatures, true, generator);
    }

    /** A layer of {@code spec}, initialised from {@code generator}. */
    public Linear(Spec spec, Generator generator) {
        this(spec.inFeatures(), spec.outFeatures(), spec.bias(), generator);
    }

    private Linear(int inFeatures, int outFeatures, boolean bias, Generator generator) {
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

    /** {@code linear(in_features, out_features, bias)}; a layer without features cannot be described. */
    @Override
    public Spec spec() {
        return new Spec(inFeatures, outFeatures, bias != null);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear(in_features=" + inFeatures + ", out_features=" + outFeatures
                    + "): input of shape " + java.util.Arrays.toString(input.shape()) + " needs " + inFeatures
                    + " features in its last dimension");
        }
        return Ops.linear(input, weight, bias); // x·Wᵀ + b, by default as one fused op
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
