package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lookup table of vectors, as PyTorch's {@code nn.Embedding}: index i gives row i of the weight.
 *
 * <pre>  out[…, :] = W[index[…], :]</pre>
 *
 * <p>Shapes: input of any shape holding integer indices in {@code [0, num_embeddings)} (as floats:
 * exact up to 2²⁴), output {@code [*, embedding_dim]}; weight {@code [num_embeddings, embedding_dim]},
 * initialised from {@code N(0, 1)}. With {@code padding_idx} that row is initialised to zeros and
 * receives no gradient (a padding token's vector stays what it is). Gradients of a row used several
 * times add up.
 */
public class Embedding extends Module {

    /**
     * {@code embedding}: PyTorch's arguments; {@code padding_idx} null for none, a negative one counted
     * from the end as PyTorch does.
     */
    public record Spec(int numEmbeddings, int embeddingDim, Integer paddingIdx) implements LayerSpec {
        public Spec {
            SpecChecks.positive("num_embeddings", numEmbeddings);
            SpecChecks.positive("embedding_dim", embeddingDim);
            if (paddingIdx != null) {
                if (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings) {
                    throw new IllegalArgumentException("padding_idx must be within num_embeddings (" + numEmbeddings
                            + "), got " + paddingIdx);
                }
                paddingIdx = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
            }
        }

        public Spec(int numEmbeddings, int embeddingDim) {
            this(numEmbeddings, embeddingDim, null);
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.integer("num_embeddings"), args.integer("embedding_dim"),
                    args.integerOrNull("padding_idx"));
        }

        @Override
        public long stateElements() {
            return (long) numEmbeddings * embeddingDim;
        }

        @Override
        public String type() {
            return "embedding";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("num_embeddings", numEmbeddings);
            args.put("embedding_dim", embeddingDim);
            args.put("padding_idx", paddingIdx);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            int[] out = java.util.Arrays.copyOf(input, input.length + 1);
            out[input.length] = embeddingDim;
            return out;
        }

        @Override
        public Embedding build(Generator generator) {
            return new Embedding(this, generator);
        }
    }

    private final Spec spec;
    private final Tensor weight;

    /** A table of {@code numEmbeddings} vectors of {@code embeddingDim}, from the global generator. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(new Spec(numEmbeddings, embeddingDim), Generator.global());
    }

    public Embedding(Spec spec, Generator generator) {
        this.spec = spec;
        this.weight = registerParameter("weight", Tensor.zeros(spec.numEmbeddings(), spec.embeddingDim()));
        resetParameters(generator);
    }

    /** Draws the weight from {@code N(0, 1)}, the padding row zeroed. Modifies the weight. */
    public void resetParameters(Generator generator) {
        Init.normal(weight, 0, 1, generator);
        if (spec.paddingIdx() != null) {
            Init.constant(weight.select(0, spec.paddingIdx()), 0);
        }
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public Tensor forward(Tensor input) {
        return embedding(input, weight, spec.paddingIdx());
    }

    /**
     * The lookup as a function (PyTorch's {@code F.embedding}): the rows of {@code weight [num, dim]} at
     * the indices {@code index} (any shape) → {@code [*index.shape, dim]}; row {@code paddingIdx} (or
     * null) passes no gradient. Nothing is modified.
     */
    public static Tensor embedding(Tensor index, Tensor weight, Integer paddingIdx) {
        int[] shape = java.util.Arrays.copyOf(index.shape(), index.dim() + 1);
        shape[index.dim()] = weight.size(1);
        Tensor flat = index.reshape(-1);
        Tensor rows = weight.indexSelect(0, flat);
        if (paddingIdx != null) {
            Tensor used = flat.ne(Tensor.ofLongs(new long[] {paddingIdx})).view(-1, 1);
            rows = Tensor.where(used, rows, rows.detach()); // NOTE: the padding row gets no gradient
        }
        return rows.view(shape);
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return spec.numEmbeddings() + ", " + spec.embeddingDim()
                + (spec.paddingIdx() == null ? "" : ", padding_idx=" + spec.paddingIdx());
    }
}
