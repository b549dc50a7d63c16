package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits one dimension into several, as PyTorch's {@code nn.Unflatten}: the inverse of
 * {@link Flatten}. {@code Unflatten(1, [1, 28, 28])} makes {@code [N, 784]} into
 * {@code [N, 1, 28, 28]}. A view: no data is copied.
 */
public class Unflatten extends Module {

    /**
     * {@code unflatten(dim, unflattened_size)}: {@code dim} of the batched tensor (not the batch, 0),
     * whose size must be the product of {@code unflattened_size}.
     */
    public record Spec(int dim, List<Integer> unflattenedSize) implements LayerSpec {
        public Spec {
            unflattenedSize = List.copyOf(unflattenedSize);
            unflattenedSize.forEach(size -> SpecChecks.positive("unflattened_size", size));
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.integer("dim"), args.integers("unflattened_size"));
        }

        @Override
        public String type() {
            return "unflatten";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("dim", dim);
            args.put("unflattened_size", unflattenedSize);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            int batched = SpecChecks.batchedDim("dim", dim, input);
            if (batched == 0) {
                throw new IllegalArgumentException("dim " + dim + " is the batch dimension; use 1 or more");
            }
            int[] sizes = sizes();
            if (input[batched - 1] != Shape.numel(sizes)) {
                throw new IllegalArgumentException("unflattened_size " + Shape.format(sizes) + " holds "
                        + Shape.numel(sizes) + " elements, but dim " + dim + " has " + input[batched - 1] + " (" + given
                        + " " + Shape.format(input) + ")");
            }
            int[] out = new int[input.length - 1 + sizes.length];
            System.arraycopy(input, 0, out, 0, batched - 1);
            System.arraycopy(sizes, 0, out, batched - 1, sizes.length);
            System.arraycopy(input, batched, out, batched - 1 + sizes.length, input.length - batched);
            return out;
        }

        int[] sizes() {
            return unflattenedSize.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public Unflatten build(Generator generator) {
            return new Unflatten(dim, sizes());
        }
    }

    private final Spec spec;

    public Unflatten(int dim, int... unflattenedSize) {
        this.spec = new Spec(dim, java.util.Arrays.stream(unflattenedSize).boxed().toList());
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] shape = input.shape();
        int dim = spec.dim() < 0 ? spec.dim() + shape.length : spec.dim();
        int[] sizes = spec.sizes();
        if (dim < 0 || dim >= shape.length || shape[dim] != Shape.numel(sizes)) {
            throw new IllegalArgumentException("Unflatten(" + extraRepr() + "): input " + Shape.format(shape)
                    + " has no dimension " + spec.dim() + " of " + Shape.numel(sizes) + " elements");
        }
        int[] out = new int[shape.length - 1 + sizes.length];
        System.arraycopy(shape, 0, out, 0, dim);
        System.arraycopy(sizes, 0, out, dim, sizes.length);
        System.arraycopy(shape, dim + 1, out, dim + sizes.length, shape.length - dim - 1);
        return input.reshape(out);
    }

    @Override
    protected String extraRepr() {
        String sizes = spec.unflattenedSize().toString();
        return "dim=" + spec.dim() + ", unflattened_size=(" + sizes.substring(1, sizes.length() - 1)
                + (spec.unflattenedSize().size() == 1 ? ",)" : ")");
    }
}
