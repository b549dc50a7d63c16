package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer normalisation (Ba et al., 2016), as PyTorch's {@code nn.LayerNorm}: each sample is normalised
 * over its last dimensions, the {@code normalized_shape}, with the mean and the biased variance of
 * those elements, then scaled and shifted elementwise:
 *
 * <pre>  y = (x − E[x]) / √(Var[x] + ε) · γ + β</pre>
 *
 * <p>Shapes: input {@code [*, normalized_shape]}, output the same; γ ({@code weight}) and β
 * ({@code bias}) are {@code normalized_shape}, initialised to ones and zeros, and absent without
 * {@code elementwise_affine}. Unlike batch normalisation it keeps no running statistics and acts the
 * same in training and evaluation.
 */
public class LayerNorm extends Module {

    /** {@code layernorm}: PyTorch's arguments, defaults {@code eps = 1e-5}, {@code elementwise_affine = true}. */
    public record Spec(List<Integer> normalizedShape, float eps, boolean elementwiseAffine) implements LayerSpec {
        public Spec {
            normalizedShape = List.copyOf(normalizedShape);
            if (normalizedShape.isEmpty()) {
                throw new IllegalArgumentException("normalized_shape must name at least one dimension");
            }
            normalizedShape.forEach(size -> SpecChecks.positive("normalized_shape", size));
            if (!(eps > 0) || !Float.isFinite(eps)) {
                throw new IllegalArgumentException("eps must be > 0, got " + eps);
            }
        }

        /** Normalises over the last dimension, of {@code size} elements, with PyTorch's defaults. */
        public Spec(int size) {
            this(List.of(size), 1e-5f, true);
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.integers("normalized_shape"), args.number("eps", 1e-5f),
                    args.bool("elementwise_affine", true));
        }

        @Override
        public long stateElements() {
            if (!elementwiseAffine) {
                return 0;
            }
            double n = 2;
            for (int size : normalizedShape) {
                n *= size;
            }
            return (long) n; // NOTE: in double, so the product saturates instead of wrapping
        }

        @Override
        public String type() {
            return "layernorm";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("normalized_shape", normalizedShape);
            args.put("eps", eps);
            args.put("elementwise_affine", elementwiseAffine);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            int k = normalizedShape.size();
            int[] last = input.length < k ? input : Arrays.copyOfRange(input, input.length - k, input.length);
            if (!Arrays.equals(last, shape())) {
                throw new IllegalArgumentException("expects samples ending in " + Shape.format(shape()) + ", " + given
                        + " " + Shape.format(input));
            }
            return input.clone();
        }

        int[] shape() {
            return normalizedShape.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public LayerNorm build(Generator generator) {
            return new LayerNorm(this);
        }
    }

    private final Spec spec;
    private final Tensor weight;
    private final Tensor bias;

    /** Normalisation over the last dimension, of {@code size} elements, with PyTorch's defaults. */
    public LayerNorm(int size) {
        this(new Spec(size));
    }

    public LayerNorm(Spec spec) {
        this.spec = spec;
        this.weight = spec.elementwiseAffine() ? registerParameter("weight", Tensor.ones(spec.shape())) : null;
        this.bias = spec.elementwiseAffine() ? registerParameter("bias", Tensor.zeros(spec.shape())) : null;
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public Tensor forward(Tensor input) {
        int k = spec.normalizedShape().size();
        int[] shape = input.shape();
        if (shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), spec.shape())) {
            throw new IllegalArgumentException("LayerNorm(" + extraRepr() + "): expected input [*, "
                    + Shape.format(spec.shape()).substring(1) + ", got " + Shape.format(shape));
        }
        return layerNorm(input, k, weight, bias, spec.eps());
    }

    /**
     * Layer normalisation as a function (PyTorch's {@code F.layer_norm}) over the last {@code dims}
     * dimensions of {@code input}, scaled by {@code weight} and shifted by {@code bias} (both shaped as
     * those dimensions, or null). Nothing is modified.
     */
    public static Tensor layerNorm(Tensor input, int dims, Tensor weight, Tensor bias, float eps) {
        int[] over = new int[dims];
        for (int i = 0; i < dims; i++) {
            over[i] = input.dim() - dims + i;
        }
        Tensor centred = input.sub(input.mean(over, true));
        Tensor normalised = centred.div(centred.mul(centred).mean(over, true).add(eps).sqrt());
        Tensor scaled = weight == null ? normalised : normalised.mul(weight);
        return bias == null ? scaled : scaled.add(bias);
    }

    /** γ, or null without {@code elementwise_affine}. */
    public Tensor weight() {
        return weight;
    }

    /** β, or null without {@code elementwise_affine}. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        String sizes = spec.normalizedShape().toString();
        return "(" + sizes.substring(1, sizes.length() - 1) + (spec.normalizedShape().size() == 1 ? ",)" : ")")
                + ", eps=" + spec.eps() + ", elementwise_affine=" + (spec.elementwiseAffine() ? "True" : "False");
    }
}
