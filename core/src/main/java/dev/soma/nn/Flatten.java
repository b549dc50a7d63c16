package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merges dimensions {@code startDim..endDim} into one: by default {@code [N, C, H, W] → [N, C·H·W]},
 * as PyTorch's {@code nn.Flatten}.
 */
public class Flatten extends Module {

    /**
     * {@code flatten(start_dim, end_dim)}, PyTorch's defaults 1 and −1: merges dimensions
     * {@code start_dim..end_dim} of the batched tensor, which must leave the batch alone.
     */
    public record Spec(int startDim, int endDim) implements LayerSpec {
        static Spec read(LayerArgs args) {
            return new Spec(args.integer("start_dim", 1), args.integer("end_dim", -1));
        }

        @Override
        public String type() {
            return "flatten";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("start_dim", startDim);
            args.put("end_dim", endDim);
            return args;
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            int start = SpecChecks.batchedDim("start_dim", startDim, input);
            int end = SpecChecks.batchedDim("end_dim", endDim, input);
            if (start == 0) {
                throw new IllegalArgumentException("start_dim " + startDim + " would merge the batch dimension into"
                        + " the features; use 1 or more");
            }
            if (start > end) {
                throw new IllegalArgumentException("start_dim " + startDim + " comes after end_dim " + endDim
                        + " in the batched shape " + SpecChecks.batched(input));
            }
            // Sample dimension d is batched dimension d + 1.
            int[] out = new int[input.length - (end - start)];
            System.arraycopy(input, 0, out, 0, start - 1);
            out[start - 1] = Shape.numel(Arrays.copyOfRange(input, start - 1, end));
            System.arraycopy(input, end, out, start, input.length - end);
            return out;
        }

        @Override
        public Flatten build(Generator generator) {
            return new Flatten(startDim, endDim);
        }
    }

    private final int startDim;
    private final int endDim;

    /** Flattens every dimension after the first (the batch). */
    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Spec spec() {
        return new Spec(startDim, endDim);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
